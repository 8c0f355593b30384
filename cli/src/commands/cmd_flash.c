/* cmrx flash: build, then program the board through pyOCD: the whole
 * firmware, or with --process one updatable process's slot. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "build.h"
#include "cli.h"
#include "ihex.h"
#include "pyocd.h"
#include "session.h"
#include "ui.h"

/* --process P: a .hex of P's image as this build made it for slot A, and
 * erased flash over the first 64 bytes of slot B: no image header there,
 * so the kernel boots slot A whatever its commit log names, and notes that
 * in the log (docs/updating.md). The board runs that version after the
 * reset pyOCD ends with. *hex: its path; *what: for messages. */
static int process_hex(const struct build *b, const char *proc, char **hex, char **what,
                       struct err *e)
{
    uint32_t slot_a, slot_b;
    uint8_t blank[64];
    memset(blank, 0xFF, sizeof(blank));
    struct build_image im = {0};
    int rc = build_update_addresses(b, proc, &slot_a, &slot_b, e) ||
             build_image_load(b, proc, 0, &im, e);
    if (rc == 0) {
        struct ihex_block blocks[] = {{slot_a, (const uint8_t *)im.data, im.size},
                                      {slot_b, blank, sizeof(blank)}};
        *hex = xasprintf("%s/%s.%s.slot.hex", b->dir, b->name, proc);
        *what = xasprintf("process %s version %lu (%zu bytes) into slot A at 0x%08lx, slot B's "
                          "header at 0x%08lx erased",
                          proc, (unsigned long)im.version, im.size, (unsigned long)slot_a,
                          (unsigned long)slot_b);
        rc = ihex_write(*hex, blocks, 2, e);
    }
    free(im.data);
    return rc ? -1 : 0;
}

static int run_flash(const struct cli *c, struct err *e)
{
    struct session s = {0};
    struct build b = {0};
    struct pyocd p;
    struct argv a = {0};
    struct build_opts o = {
        .verbose = c->verbose, .jobs = c->jobs, .out_fd = STDERR_FILENO, .quiet = true};
    bool relinked;
    char *hex = NULL, *what = NULL;
    int rc = session_build(&s, c, &b, e) || pyocd_find(&b, "cmrx flash", &p, e);
    if (rc == 0 && c->process != NULL && session_updatable(&s, c->process, e) == NULL) {
        rc = -1;
    }
    /* A process's slot is made from the build: --dry-run builds it too. */
    if (rc == 0 && (c->process != NULL || !c->dry_run)) {
        rc = build_run(&b, &s.p.m, &o, &relinked, e);
        session_end(&s);
    }
    if (rc == 0 && c->process != NULL) {
        rc = process_hex(&b, c->process, &hex, &what, e);
    }
    if (rc == 0) {
        pyocd_flash_command(&p, &b, c->probe, hex, &a);
    }
    if (rc == 0 && c->dry_run) {
        spawn_print(stdout, a.v);
    } else if (rc == 0) {
        char *out = NULL;
        struct spawn_result r;
        ui_status("Flashing", "%s to %s (pyOCD target %s)",
                  what != NULL ? what : build_shown(&b, b.hex), b.board, b.bsp.pyocd_target);
        struct capture_opts co = {.relay_fd = STDERR_FILENO};
        rc = spawn_capture(a.v, &co, &out, &r, e);
        if (rc == 0 && (r.code != 0 || r.stop_signal != 0)) {
            rc = pyocd_failed(&b, out, r.code, e);
        } else if (rc == 0) {
            ui_status("Flashed", "%s; it runs now", b.board);
        }
        free(out);
    }
    free(hex);
    free(what);
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
            "is an error saying so.\n"
            "With --process P, programs only updatable process P: its image as this build\n"
            "made it, into its slot A, and erases slot B's header, so that the\n"
            "board runs that version from the reset on, whichever slot ran before; the\n"
            "rest of flash stays as it is (build/BOARD/PROFILE/NAME.P.slot.hex). The board\n"
            "must run this project's firmware as built (same memory layout): the kernel\n"
            "checks the image at boot and starts the other slot's if it does not fit.\n"
            "--dry-run then builds and writes that file, and prints the command.\n",
    .opts = OPT_PROBE | OPT_DRY_RUN | OPT_PROCESS | OPT_BOARD | OPT_RELEASE | OPT_VERBOSE |
            OPT_JOBS | OPT_DIR | OPT_OFFLINE | OPT_REGISTRY,
    .lazy_git = true,
    .run = run_flash,
};
