/* cmrx size: the memory table of the last build. */
#include <cjson/cJSON.h>

#include "build.h"
#include "cli.h"
#include "session.h"
#include "ui.h"

static int run_size(const struct cli *c, struct err *e)
{
    struct session s = {0};
    struct build b = {0};
    int rc = session_last_build(&s, c, &b, e);
    if (rc == 0) {
        /* Board host has no table: build_size_json() says why. */
        cJSON *size = c->json || build_is_host(&b) ? build_size_json(&b, e) : NULL;
        if (c->json || build_is_host(&b)) {
            rc = size == NULL ? -1 : ui_print_json(size) ? err_set(e, "cannot write to stdout") : 0;
        } else {
            rc = build_report(&b, e);
        }
    }
    build_free(&b);
    session_end(&s);
    return rc ? -1 : 0;
}

const struct command cmd_size = {
    .name = "size",
    .args = "",
    .summary = "show the memory table of the last build",
    .help = "Prints the memory table of the last `cmrx build` (it builds nothing): flash and\n"
            "RAM of the kernel and of each process (code, data, shared memory, thread\n"
            "stacks), the MPU region each is protected by and the bytes lost to the\n"
            "regions' size and alignment rules. --json prints the same data as JSON\n"
            "(build/BOARD/PROFILE/NAME.size.json).\n",
    .opts = OPT_JSON | OPT_RELEASE | OPT_BOARD | OPT_DIR | OPT_OFFLINE | OPT_REGISTRY,
    .lazy_git = true,
    .run = run_size,
};
