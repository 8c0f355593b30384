/* cmrx monitor: the console of a real board, from its serial port, with
 * fault reports decoded against the last build's ELF, until Ctrl-C. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "build.h"
#include "cli.h"
#include "faults.h"
#include "serial.h"
#include "session.h"
#include "spawn.h"
#include "ui.h"

static volatile sig_atomic_t stop; /* the signal that ends it, or 0 */

static void on_stop(int sig)
{
    stop = sig;
}

static const int stop_sigs[] = {SIGINT, SIGTERM, SIGHUP};
#define STOP_SIGS (sizeof(stop_sigs) / sizeof(stop_sigs[0]))

/* From before "Monitoring" is said until the relay ends, the signals that
 * end it are caught: one sent as soon as that line is read ends it as one
 * sent later does. */
static void catch_stops(struct sigaction old[STOP_SIGS])
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_stop; /* no SA_RESTART: poll() returns */
    sigemptyset(&sa.sa_mask);
    stop = 0;
    for (size_t i = 0; i < STOP_SIGS; i++) {
        sigaction(stop_sigs[i], &sa, &old[i]);
    }
}

static void release_stops(const struct sigaction old[STOP_SIGS])
{
    for (size_t i = 0; i < STOP_SIGS; i++) {
        sigaction(stop_sigs[i], &old[i], NULL);
    }
}

/* Copy @p in to @p out until Ctrl-C (or SIGTERM, SIGHUP) or the port goes away. */
static void relay(int in, int out)
{
    char buf[4096];
    while (!stop) {
        struct pollfd p = {.fd = in, .events = POLLIN};
        int r = poll(&p, 1, -1);
        if (r < 0) {
            continue; /* EINTR: stop says */
        }
        ssize_t n = read(in, buf, sizeof(buf));
        if (n < 0 && (errno == EINTR || errno == EAGAIN)) {
            continue;
        }
        if (n <= 0 || write(out, buf, (size_t)n) != n) {
            break;
        }
    }
}

static int run_monitor(const struct cli *c, struct err *e)
{
    struct session s = {0};
    struct build b = {0};
    int rc = session_build(&s, c, &b, e);
    session_end(&s);
    char *port = NULL;
    int fd = -1;
    if (rc == 0 && build_is_host(&b)) {
        rc = err_set(e, "board host (the host simulation) has no serial port: its console is the "
                        "output of the firmware's program");
        err_hint(e, "`cmrx run --board host` runs it and shows its console; `cmrx monitor --board "
                    "BOARD` shows a real board's");
    }
    if (rc == 0) {
        port = c->port != NULL ? xstrdup(c->port) : serial_find(e);
        fd = port != NULL ? serial_open(port, b.bsp.console_baud, false, e) : -1;
        rc = fd < 0 ? -1 : 0;
    }
    if (rc == 0) {
        bool have_elf = path_exists(b.elf);
        if (!have_elf) {
            ui_warn("no build of %s for %s yet (%s): fault reports are shown undecoded", b.name,
                    b.board, build_shown(&b, b.elf));
        }
        struct sigaction old[STOP_SIGS];
        catch_stops(old);
        ui_status("Monitoring", "%s at %lu baud (the console of %s)%s", port,
                  (unsigned long)b.bsp.console_baud, b.board,
                  isatty(STDIN_FILENO) ? "; Ctrl-C ends it" : "");
        struct fault_decoder d;
        fault_decoder_init(&d, have_elf ? b.elf : NULL, b.root);
        int to_filter = -1;
        pid_t filter = spawn_filter(STDOUT_FILENO, fault_filter, &d, &to_filter, e);
        if (filter < 0) {
            rc = -1;
        } else {
            relay(fd, to_filter);
            close(to_filter);
            spawn_filter_end(&filter);
            if (stop == SIGINT) {
                ui_status("Stopped", "monitor"); /* Ctrl-C: the way to end it */
            } else if (stop != 0) {
                /* Ended by another program: say so, as the shell would. */
                struct spawn_result r = {.stop_signal = stop};
                ui_status("Stopped", "monitor (%s)", spawn_stop_word(&r));
                rc = -1;
                e->status = spawn_signal_status(stop);
            } else {
                rc = err_set(e, "serial port %s went away (the board was unplugged?)", port);
            }
        }
        release_stops(old);
        fault_decoder_free(&d);
    }
    if (fd >= 0) {
        close(fd);
    }
    free(port);
    build_free(&b);
    return rc;
}

const struct command cmd_monitor = {
    .name = "monitor",
    .args = "",
    .summary = "show the serial console of a real board, fault reports decoded",
    .help = "Shows what the board's console UART prints, from the serial port its probe\n"
            "offers: the one in /dev/serial/by-id/, else the one /dev/ttyACM* or\n"
            "/dev/ttyUSB* (--port DEV names another), at the baud rate of the board's\n"
            "bsp.yaml (console.baud). Fault reports are decoded into functions and\n"
            "source lines against the last build's ELF, as `cmrx run` does\n"
            "(docs/debugging.md); it builds nothing. Ctrl-C ends it (exit status 0);\n"
            "SIGTERM or SIGHUP too, with exit status 128 + the signal's number.\n"
            "--board B: the console of board B, decoded against its build.\n",
    .opts = OPT_PORT | OPT_BOARD | OPT_RELEASE | OPT_DIR | OPT_OFFLINE | OPT_REGISTRY,
    .lazy_git = true,
    .run = run_monitor,
};
