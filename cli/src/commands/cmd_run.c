/* cmrx run: build, then boot the firmware in QEMU; the firmware's exit code
 * (from cmrx_shutdown(), through semihosting) is cmrx's. */
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

#include "build.h"
#include "cli.h"
#include "faults.h"
#include "qemu.h"
#include "spawn.h"
#include "session.h"
#include "tools.h"
#include "ui.h"

static int run_run(const struct cli *c, struct err *e)
{
    struct build b = {0};
    struct argv a = {0};
    int rc = session_qemu(c, false, &b, &a, e);
    pid_t pid = -1, filter = -1, err_filter = -1;
    int console = -1;
    struct fault_decoder d;
    fault_decoder_init(&d, NULL, NULL);
    if (rc == 0) {
        if (build_is_host(&b)) {
            ui_status("Running", "%s on this machine (board host: the host simulation)%s",
                      build_shown(&b, b.elf), isatty(STDIN_FILENO) ? "; Ctrl-C stops it" : "");
        } else {
            ui_status("Running", "%s on %s in QEMU (machine %s)%s", build_shown(&b, b.elf), b.board,
                      b.bsp.qemu_machine, isatty(STDIN_FILENO) ? "; Ctrl-C stops it" : "");
        }
        /* The console goes through a filter that decodes fault reports. */
        fault_decoder_free(&d);
        fault_decoder_init(&d, b.elf, b.root);
        filter = spawn_filter(STDOUT_FILENO, fault_filter, &d, &console, e);
        /* Its stderr stays cmrx's (QEMU's errors, the sanitizers' reports on host). */
        struct spawn_opts so = {.out_fd = console, .err_fd = -1};
        rc = filter < 0 ||
                     (pid = session_qemu_start(a.v, &so, !build_is_host(&b), &err_filter, e)) < 0
                 ? -1
                 : 0;
    }
    if (rc == 0) {
        /* Piped into a reader that may quit early (`cmrx run | head`):
         * QEMU does not notice, so cmrx stops it when the reader is gone
         * (the filter, which then ends on a broken pipe). */
        const char *runner = build_is_host(&b) ? "the firmware's program" : "QEMU";
        struct spawn_result r;
        spawn_wait(pid, c->timeout, console, &r);
        close(console);
        console = -1;
        spawn_filter_end(&filter);
        spawn_filter_end(&err_filter); /* QEMU's errors come before cmrx's verdict */
        if (r.reader_gone) {
            ui_status("Stopped", "%s (nothing reads its output any more)", runner);
            rc = -1;
            e->status = spawn_signal_status(SIGPIPE); /* a writer cut off */
        } else if (r.timed_out) {
            rc = err_set(e, "the firmware was still running after %g s, so %s was stopped",
                         c->timeout, runner);
            err_hint(e, "give it longer (--timeout), or end it with cmrx_shutdown() from a "
                        "process declared 'system: true'");
            e->status = 124;
        } else if (r.stop_signal != 0) {
            ui_status("Stopped", "%s (%s)", runner, spawn_stop_word(&r));
            rc = -1;
            e->status = spawn_signal_status(r.stop_signal);
        } else if (r.signal != 0) {
            rc = err_set(e, "%s was killed by signal %d", runner, r.signal);
            e->status = r.code;
        } else if (r.code != 0) {
            rc = err_set(e,
                         "firmware %s ended with exit status %d (the code it passed to "
                         "cmrx_shutdown(), or QEMU's own failure if it says so above)",
                         b.name, r.code);
            e->status = r.code;
        }
    }
    if (console >= 0) {
        close(console);
    }
    spawn_filter_end(&filter);
    spawn_filter_end(&err_filter);
    fault_decoder_free(&d);
    argv_free(&a);
    build_uarts_close(&b);
    build_free(&b);
    return rc;
}

const struct command cmd_run = {
    .name = "run",
    .args = "",
    .summary = "build, then boot the firmware in QEMU",
    .help = "Builds the firmware (as `cmrx build`, its output on stderr), then boots it in\n"
            "QEMU on the machine the board's bsp.yaml names, with the console UART on\n"
            "stdout; a fault report there is decoded into functions and source lines,\n"
            "with the RPC chain of the faulting thread (docs/debugging.md). Ends when\n"
            "the firmware calls cmrx_shutdown(): cmrx's exit status is the firmware's\n"
            "code. Ctrl-C stops QEMU (exit status 130; a SIGTERM sent to cmrx: 143);\n"
            "--timeout S stops it after S seconds (exit status 124), and so does the end\n"
            "of a pipe's reader, as in `cmrx run | head` (exit status 141). With --board,\n"
            "builds for and runs on board B instead of cmrx.yaml's. A board QEMU does\n"
            "not emulate is an error that points to `cmrx flash`. On a board with\n"
            "storage (its bsp.yaml qemu.storage: the emulated flash the `fs` component\n"
            "keeps its files in), that memory is the file --image names (default\n"
            "build/BOARD/storage.img), created erased when missing: what the firmware\n"
            "stores there is kept between runs, and stopping QEMU at any moment leaves\n"
            "it as a power cut would.\n"
            "With --net the board's network controller (the first bsp.yaml peripheral\n"
            "QEMU models: lan9118) is on QEMU's user network: the board gets 10.0.2.15\n"
            "by DHCP, 10.0.2.2 is the host, and each port forward of cmrx.yaml's\n"
            "network.forward (e.g. tcp:8080:80) makes 127.0.0.1:8080 on this machine\n"
            "reach port 80 of the board. --forward P (repeatable) forwards P instead;\n"
            "a host port of 0 is a free one, said on stderr. Only 127.0.0.1 is bound.\n"
            "The board's other UARTs that QEMU models (bsp.yaml peripherals with a\n"
            "qemu_serial, e.g. uart1 of the MPS2 boards) are each on a free TCP port of\n"
            "127.0.0.1, said on stderr: `cmrx deploy` sends process images there to the\n"
            "updater component, and any TCP client (nc 127.0.0.1 PORT) may talk to one.\n"
            "With --board host the firmware is built as one Linux program (the host\n"
            "simulation: each process's memory protected by mprotect, faults reported\n"
            "as on a board) and run as it is, without QEMU (docs/testing.md).\n",
    .opts = OPT_TIMEOUT | OPT_BOARD | OPT_RELEASE | OPT_VERBOSE | OPT_JOBS | OPT_DIR | OPT_OFFLINE |
            OPT_REGISTRY | OPT_IMAGE | OPT_NET | OPT_FORWARD,
    .lazy_git = true,
    .run = run_run,
};
