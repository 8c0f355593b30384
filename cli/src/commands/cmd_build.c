/* cmrx build: firmware from cmrx.yaml, cmrx.lock and packages/, with CMake
 * and Ninja (build.h), then its memory table. */
#include <cjson/cJSON.h>
#include <unistd.h>

#include "build.h"
#include "cli.h"
#include "session.h"
#include "ui.h"

/* --json: where the outputs are, and the memory table as the SDK wrote it. */
static int print_json(const struct build *b, struct err *e)
{
    cJSON *size = build_is_host(b) ? cJSON_CreateNull() : build_size_json(b, e);
    if (size == NULL) {
        return -1;
    }
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "firmware", b->name);
    cJSON_AddStringToObject(o, "board", b->board);
    cJSON_AddStringToObject(o, "profile", b->profile);
    cJSON_AddStringToObject(o, "elf", b->elf);
    cJSON_AddStringToObject(o, "hex", b->hex);
    cJSON_AddStringToObject(o, "bin", b->bin);
    cJSON_AddItemToObject(o, "size", size);
    return ui_print_json(o) ? err_set(e, "cannot write to stdout") : 0;
}

static int run_build(const struct cli *c, struct err *e)
{
    struct session s = {0};
    struct build b = {0};
    bool relinked = false;
    /* With --json, stdout carries only the JSON: the build's own output goes to stderr. */
    struct build_opts o = {
        .verbose = c->verbose, .jobs = c->jobs, .out_fd = c->json ? STDERR_FILENO : -1};
    int rc = session_build(&s, c, &b, e) || build_run(&b, &s.p.m, &o, &relinked, e);
    if (rc == 0 && c->json) {
        rc = print_json(&b, e);
    } else if (rc == 0 && !relinked) {
        rc = build_report(&b, e); /* the SDK printed it if it linked anew */
    }
    if (rc == 0) {
        ui_status("Finished", "%s", build_shown(&b, b.elf));
    }
    build_free(&b);
    session_end(&s);
    return rc ? -1 : 0;
}

const struct command cmd_build = {
    .name = "build",
    .args = "",
    .summary = "build the firmware with CMake and Ninja",
    .help = "Builds the firmware of the project: the kernel, the board's BSP, the processes\n"
            "of cmrx.yaml and those of its components, from packages/ (fetched first if a\n"
            "package folder is missing). cmrx writes a CMakeLists.txt into\n"
            "build/BOARD/PROFILE/cmrx/ (never into your sources), configures CMake when\n"
            "cmrx.yaml, cmrx.lock or a component changed, and runs Ninja there. Compiler\n"
            "messages pass through as they are. Then prints the memory table: flash and RAM\n"
            "of the kernel and of each process, its MPU regions and their alignment waste.\n"
            "Outputs: build/BOARD/PROFILE/NAME.elf, .hex, .bin, .map and .size.json.\n"
            "With --board, builds for board B instead of cmrx.yaml's (its package is\n"
            "fetched into build/B/packages/); --json prints where the outputs are and the\n"
            "memory table as JSON on stdout.\n",
    .opts = OPT_RELEASE | OPT_VERBOSE | OPT_JOBS | OPT_JSON | OPT_BOARD | OPT_DIR | OPT_OFFLINE |
            OPT_REGISTRY,
    .lazy_git = true,
    .run = run_build,
};
