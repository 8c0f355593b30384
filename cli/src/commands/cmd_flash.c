/* cmrx flash: build, then program the board through pyOCD. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "build.h"
#include "cli.h"
#include "pyocd.h"
#include "session.h"
#include "ui.h"

static int run_flash(const struct cli *c, struct err *e)
{
    struct session s = {0};
    struct build b = {0};
    struct pyocd p;
    struct argv a = {0};
    struct build_opts o = {
        .verbose = c->verbose, .jobs = c->jobs, .out_fd = STDERR_FILENO, .quiet = true};
    bool relinked;
    int rc = session_build(&s, c, &b, e) || pyocd_find(&b, "cmrx flash", &p, e);
    if (rc == 0) {
        pyocd_flash_command(&p, &b, c->probe, &a);
    }
    if (rc == 0 && c->dry_run) {
        spawn_print(stdout, a.v);
    } else if (rc == 0) {
        rc = build_run(&b, &s.p.m, &o, &relinked, e);
        session_end(&s);
        char *out = NULL;
        struct spawn_result r;
        if (rc == 0) {
            ui_status("Flashing", "%s to %s (pyOCD target %s)", build_shown(&b, b.hex), b.board,
                      b.bsp.pyocd_target);
            struct capture_opts co = {.relay_fd = STDERR_FILENO};
            rc = spawn_capture(a.v, &co, &out, &r, e);
        }
        if (rc == 0 && (r.code != 0 || r.interrupted)) {
            rc = pyocd_failed(&b, out, r.code, e);
        } else if (rc == 0) {
            ui_status("Flashed", "%s; it runs now", b.board);
        }
        free(out);
    }
    argv_free(&a);
    build_free(&b);
    session_end(&s);
    return rc ? -1 : 0;
}

const struct command cmd_flash = {
    .name = "flash",
    .args = "",
    .summary = "build, then program a real board through pyOCD",
    .help = "Builds the firmware (as `cmrx build`, its output on stderr), then programs its\n"
            ".hex into the board through a debug probe with pyOCD, for the target the\n"
            "board's bsp.yaml names: `pyocd flash -t TARGET` with a current pyOCD, else\n"
            "Debian's `pyocd-flashtool -t TARGET`. --dry-run prints that command and does\n"
            "nothing else. No probe connected, no pyOCD, or a board without a pyOCD target\n"
            "is an error saying so.\n",
    .opts = OPT_PROBE | OPT_DRY_RUN | OPT_BOARD | OPT_RELEASE | OPT_VERBOSE | OPT_JOBS | OPT_DIR |
            OPT_OFFLINE | OPT_REGISTRY,
    .lazy_git = true,
    .run = run_flash,
};
