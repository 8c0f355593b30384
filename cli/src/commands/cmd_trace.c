/* cmrx trace: build the firmware with the kernel trace on, boot it in QEMU
 * (with -icount: timestamps count instructions), and when it ends take the
 * trace the kernel puts out on the console: a Chrome/Perfetto trace JSON
 * and a table of CPU time per thread (build/trace.h). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "build.h"
#include "cli.h"
#include "faults.h"
#include "session.h"
#include "spawn.h"
#include "trace.h"
#include "ui.h"

/* Function names of code addresses, from the ELF, each looked up once. */
#define NAMES_MAX 256

struct namer {
    struct fault_decoder d;
    uint32_t addr[NAMES_MAX];
    char *name[NAMES_MAX];
    size_t n;
};

static char *name_of(void *ctx, uint32_t addr)
{
    struct namer *nm = ctx;
    for (size_t i = 0; i < nm->n; i++) {
        if (nm->addr[i] == addr) {
            return nm->name[i] != NULL ? xstrdup(nm->name[i]) : NULL;
        }
    }
    /* "function (file:line)": the function is the name. */
    char *where = fault_where(&nm->d, addr);
    if (where != NULL) {
        char *paren = strstr(where, " (");
        if (paren != NULL) {
            *paren = '\0';
        }
    }
    if (nm->n < NAMES_MAX) {
        nm->addr[nm->n] = addr;
        nm->name[nm->n++] = where != NULL ? xstrdup(where) : NULL;
    }
    return where;
}

/* The console as the firmware wrote it, without the trace's lines, decoded. */
static void show_console(struct fault_decoder *d, const char *text)
{
    size_t len;
    char *rest = NULL;
    FILE *f = xmemstream(&rest, &len);
    for (const char *s = text; *s;) {
        const char *nl = strchr(s, '\n');
        size_t n = nl != NULL ? (size_t)(nl - s) + 1 : strlen(s);
        if (strncmp(s, TRACE_PREFIX, strlen(TRACE_PREFIX)) != 0) {
            fwrite(s, 1, n, f);
        }
        s += n;
    }
    fclose(f);
    fault_decode_text(d, rest, stdout);
    fflush(stdout);
    free(rest);
}

/* Run QEMU (@p argv) with its output in @p log; @return 0, or -1 when it
 * could not start or ended without a trace to read. */
static int run_qemu(const struct cli *c, char *const argv[], bool qemu, const char *log,
                    struct spawn_result *r, struct err *e)
{
    int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0) {
        return err_set(e, "cannot write %s: %s", log, strerror(errno));
    }
    struct spawn_opts so = {.out_fd = fd, .err_fd = -1, .null_stdin = true};
    pid_t filter;
    pid_t pid = session_qemu_start(argv, &so, qemu, &filter, e);
    close(fd);
    if (pid >= 0) {
        spawn_wait(pid, c->timeout, -1, r);
    }
    spawn_filter_end(&filter);
    return pid < 0 ? -1 : 0;
}

static int run_trace(const struct cli *c, struct err *e)
{
    struct build b = {0};
    struct argv a = {0};
    struct namer nm = {0};
    struct trace t = {0};
    char *log = NULL, *text = NULL, *json = NULL, *out = NULL;
    size_t len;
    struct spawn_result r = {0};
    fault_decoder_init(&nm.d, NULL, NULL);
    int rc = session_qemu(c, true, &b, &a, e);
    if (rc == 0) {
        log = path_join(b.dir, "console.log");
        out = c->output != NULL ? xstrdup(c->output) : path_join(b.dir, "trace.json");
        if (build_is_host(&b)) { /* stamped by the host's clock, in microseconds */
            ui_status("Tracing", "%s on this machine (board host: the host simulation)%s",
                      build_shown(&b, b.elf),
                      isatty(STDIN_FILENO) ? "; Ctrl-C stops it, without a trace" : "");
        } else {
            ui_status("Tracing",
                      "%s on %s in QEMU (machine %s, -icount: a nanosecond per instruction)%s",
                      build_shown(&b, b.elf), b.board, b.bsp.qemu_machine,
                      isatty(STDIN_FILENO) ? "; Ctrl-C stops it, without a trace" : "");
        }
        rc = run_qemu(c, a.v, !build_is_host(&b), log, &r, e);
    }
    if (rc == 0) {
        fault_decoder_free(&nm.d);
        fault_decoder_init(&nm.d, b.elf, b.root);
        if (read_file(log, &text, &len, e) != 0) {
            rc = -1;
        } else {
            show_console(&nm.d, text);
        }
    }
    if (rc == 0 && r.stop_signal != 0) {
        rc = err_set(e,
                     "QEMU was stopped (%s) before the firmware ended, so the kernel put out "
                     "no trace",
                     spawn_stop_word(&r));
        e->status = spawn_signal_status(r.stop_signal);
    } else if (rc == 0 && r.timed_out) {
        rc = err_set(e,
                     "the firmware was still running after %g s, so QEMU was stopped before "
                     "the kernel put out its trace",
                     c->timeout);
        err_hint(e, "the kernel puts its trace out when the firmware ends: end it with "
                    "cmrx_shutdown() from a process declared 'system: true', or give it longer "
                    "(--timeout)");
        e->status = 124;
    } else if (rc == 0 && r.signal != 0) {
        rc = err_set(e, "QEMU was killed by signal %d", r.signal);
        e->status = r.code;
    }
    if (rc == 0 && trace_parse(text, &t, e) != 0) {
        err_prefix(e, "%s: ", build_shown(&b, log));
        rc = -1;
    }
    if (rc == 0) {
        json = trace_chrome_json(&t, name_of, &nm);
        rc = write_file_atomic(out, json, strlen(json), e);
    }
    if (rc == 0) {
        fputc('\n', stdout);
        trace_cpu_table(&t, name_of, &nm, stdout);
        ui_status("Wrote", "%s: %zu events (open it in ui.perfetto.dev or chrome://tracing)",
                  build_shown(&b, out), t.n);
        if (r.code != 0) {
            rc = err_set(e,
                         "firmware %s ended with exit status %d (the code it passed to "
                         "cmrx_shutdown(), or QEMU's own failure if it says so above)",
                         b.name, r.code);
            e->status = r.code;
        }
    }
    for (size_t i = 0; i < nm.n; i++) {
        free(nm.name[i]);
    }
    fault_decoder_free(&nm.d);
    trace_free(&t);
    free(json);
    free(text);
    free(out);
    free(log);
    argv_free(&a);
    build_free(&b);
    return rc;
}

const struct command cmd_trace = {
    .name = "trace",
    .args = "",
    .summary = "run the firmware in QEMU with the kernel trace on; write a timeline",
    .help = "Builds the firmware with the kernel trace on (in build/BOARD/trace; the\n"
            "firmware's own build stays as it is), boots it in QEMU with -icount (a\n"
            "virtual nanosecond per instruction, so times are the same on any host)\n"
            "and shows its console as `cmrx run` does. The kernel records thread\n"
            "switches, RPC calls and returns, interrupts, notifications, wake-ups,\n"
            "faults and thread starts and ends, stamped by SysTick, in a ring of its\n"
            "last 512 events, and puts it out on the console when the firmware ends\n"
            "(cmrx_shutdown(), or a kernel panic). cmrx then writes it as a\n"
            "Chrome/Perfetto trace JSON (--output FILE, default\n"
            "build/BOARD/trace/trace.json; open it in ui.perfetto.dev or\n"
            "chrome://tracing): a track per thread, named process/function, with its\n"
            "RPC calls as nested slices callee.method, a CPU track of which thread ran\n"
            "when, and instant events for interrupts, notifications, wake-ups and\n"
            "faults. It prints each thread's CPU time. A firmware that does not end\n"
            "puts out no trace: --timeout S stops it with an error (exit status 124),\n"
            "as does Ctrl-C (130). The exit status is otherwise the firmware's, as for\n"
            "`cmrx run`. See docs/debugging.md.\n",
    .opts = OPT_TIMEOUT | OPT_BOARD | OPT_VERBOSE | OPT_JOBS | OPT_DIR | OPT_OFFLINE |
            OPT_REGISTRY | OPT_IMAGE | OPT_OUTPUT,
    .lazy_git = true,
    .run = run_trace,
};
