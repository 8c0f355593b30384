/* cmrx clean: delete the project's build output (build/, or one board's). */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "fsutil.h"
#include "session.h"
#include "ui.h"

static int run_clean(const struct cli *c, struct err *e)
{
    struct session s = {0};
    int rc = session_project(&s, c, e);
    if (rc == 0) {
        if (c->board != NULL && !name_is_valid(c->board)) {
            rc = err_usage(e, "'%s' is not a board name", c->board);
        }
    }
    if (rc == 0) {
        char *dir = c->board != NULL ? xasprintf("%s/build/%s", s.p.root, c->board)
                                     : path_join(s.p.root, "build");
        char *link = path_join(s.p.root, "compile_commands.json");
        char target[4096];
        ssize_t n = readlink(link, target, sizeof(target) - 1);
        if (n > 0) {
            target[n] = '\0';
        }
        const char *shown = dir + strlen(s.p.root) + 1;
        if (!is_dir(dir)) {
            ui_status("Clean", "%s does not exist; nothing to delete", shown);
        } else if (rm_rf(dir) != 0) {
            rc = err_set(e, "cannot delete all of %s", dir);
            err_hint(e, "check the permissions of the files left there");
        } else {
            ui_status("Removed", "%s", shown);
        }
        /* The editors' link into what was deleted goes with it. */
        struct stat st;
        if (rc == 0 && n > 0 && strncmp(target, "build/", 6) == 0 && stat(link, &st) != 0) {
            unlink(link);
        }
        free(link);
        free(dir);
    }
    session_end(&s);
    return rc ? -1 : 0;
}

const struct command cmd_clean = {
    .name = "clean",
    .args = "",
    .summary = "delete the project's build output",
    .help = "Deletes build/ of the project (with --board B, only build/B), where `cmrx build`\n"
            "writes everything it makes, and the compile_commands.json link into it. Sources,\n"
            "cmrx.yaml, cmrx.lock and packages/ are not touched; the next build configures\n"
            "and compiles everything again.\n",
    .opts = OPT_BOARD | OPT_DIR,
    .lazy_git = true,
    .run = run_clean,
};
