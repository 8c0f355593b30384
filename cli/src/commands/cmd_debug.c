/* cmrx debug: a gdb server for the board (QEMU's gdb stub on an emulated
 * board, pyOCD's gdbserver on a real one) and gdb with the firmware's ELF,
 * connected to it. */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "build.h"
#include "cli.h"
#include "fsutil.h"
#include "pyocd.h"
#include "qemu.h"
#include "spawn.h"
#include "session.h"
#include "tools.h"
#include "ui.h"

/* The first TCP port from @p from on that nothing listens on locally. */
static unsigned free_port(unsigned from)
{
    for (unsigned port = from; port < from + 100; port++) {
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
        sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        int one = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        bool ok = fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0;
        if (fd >= 0) {
            close(fd);
        }
        if (ok) {
            return port;
        }
    }
    return from;
}

/* Whether something listens on TCP @p port (from /proc/net/tcp*, without
 * connecting: pyOCD's gdbserver ends when its first client leaves). */
static bool listening(unsigned port)
{
    const char *files[] = {"/proc/net/tcp", "/proc/net/tcp6"};
    bool found = false;
    for (size_t i = 0; i < 2 && !found; i++) {
        FILE *f = fopen(files[i], "r");
        char line[512];
        while (f != NULL && !found && fgets(line, sizeof(line), f) != NULL) {
            char local[128];
            unsigned st;
            unsigned p;
            char *colon;
            if (sscanf(line, " %*s %127s %*s %x", local, &st) == 2 &&
                (colon = strrchr(local, ':')) != NULL && sscanf(colon + 1, "%x", &p) == 1) {
                found = p == port && st == 0x0A; /* TCP_LISTEN */
            }
        }
        if (f != NULL) {
            fclose(f);
        }
    }
    return found;
}

static char *find_gdb(struct err *e)
{
    char *gdb = spawn_find("gdb-multiarch");
    if (gdb == NULL) {
        gdb = spawn_find("arm-none-eabi-gdb");
    }
    if (gdb == NULL) {
        err_set(e, "cmrx debug needs gdb-multiarch or arm-none-eabi-gdb; neither is on PATH");
        err_hint(e, "install Debian's gdb-multiarch (sudo apt-get install gdb-multiarch)");
    }
    return gdb;
}

struct plan {
    bool host; /**< board host: gdb runs the program itself, no server */
    bool real; /**< through pyOCD, else QEMU */
    unsigned port;
    struct argv server, gdb;
};

/* The kernel's gdb helpers (cmrx threads, cmrx bt, ...; docs/debugging.md). */
static void add_helpers(const struct build *b, struct argv *gdb)
{
    for (size_t i = 0; i < b->lock.n; i++) {
        char *helpers = path_join(b->pkg_dirs[i], "tools/gdb/cmrx.py");
        if (b->lock.pkgs[i].kind == KIND_KERNEL && path_exists(helpers)) {
            argv_add(gdb, "-x", helpers, NULL);
        }
        free(helpers);
    }
}

/* The host simulation: gdb starts the program. The tick (SIGALRM) and the
 * kernel's way back into a preempted thread (SIGUSR1) are its own
 * business; an isolation fault (SIGSEGV) stops gdb at the faulting line,
 * and `continue` lets the kernel report it. */
static int make_host_plan(const struct cli *c, const struct build *b, struct plan *p, struct err *e)
{
    char *gdb = spawn_find("gdb");
    if (gdb == NULL && (gdb = spawn_find("gdb-multiarch")) == NULL) {
        err_set(e, "cmrx debug --board host needs gdb; it is not on PATH");
        return err_hint(e, "install Debian's gdb (sudo apt-get install gdb)");
    }
    p->host = true;
    argv_add(&p->gdb, strrchr(gdb, '/') + 1, "-q", b->elf, "-ex",
             "handle SIGALRM nostop noprint pass", "-ex", "handle SIGUSR1 nostop noprint pass",
             NULL);
    free(gdb);
    add_helpers(b, &p->gdb);
    for (size_t i = 0; i < c->n_args; i++) {
        argv_add(&p->gdb, c->args[i], NULL);
    }
    return 0;
}

static int make_plan(const struct cli *c, const struct build *b, struct plan *p, struct err *e)
{
    if (build_is_host(b)) {
        return make_host_plan(c, b, p, e);
    }
    /* An emulated board is debugged in QEMU, unless a probe is named. */
    p->real = b->bsp.qemu_machine == NULL || c->probe != NULL;
    p->port = free_port(p->real ? 3333 : 1234);
    if (p->real) {
        struct pyocd py;
        if (pyocd_find(b, "cmrx debug", &py, e) != 0) {
            return -1;
        }
        pyocd_gdbserver_command(&py, b, c->probe, p->port, &p->server);
    } else {
        char *qemu = build_qemu(b, NULL, p->port, c->image, NULL, &p->server, e) == 0
                         ? tool_require(QEMU_PROGRAM, "cmrx debug", e)
                         : NULL;
        free(qemu);
        if (qemu == NULL) {
            return -1;
        }
    }
    char *gdb = find_gdb(e);
    if (gdb == NULL) {
        return -1;
    }
    argv_add(&p->gdb, strrchr(gdb, '/') + 1, "-q", b->elf, NULL);
    free(gdb);
    add_helpers(b, &p->gdb);
    argv_add(&p->gdb, "-ex", NULL);
    argv_take(&p->gdb, xasprintf("target remote localhost:%u", p->port));
    if (p->real) { /* program the flash through the server, then start from reset */
        argv_add(&p->gdb, "-ex", "load", "-ex", "monitor reset halt", NULL);
    }
    for (size_t i = 0; i < c->n_args; i++) { /* after `--`: the user's, once connected */
        argv_add(&p->gdb, c->args[i], NULL);
    }
    return 0;
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Start the server and wait until it listens. pyOCD's log (build/.../gdbserver.log)
 * is watched: without a probe, it would wait for one for ever. */
static pid_t start_server(const struct build *b, const struct plan *p, struct err *e)
{
    char *log = path_join(b->dir, "gdbserver.log");
    int fd = -1;
    if (p->real) { /* pyOCD talks a lot: into a file, the terminal is gdb's */
        fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    }
    struct spawn_opts so = {.out_fd = fd, .err_fd = fd, .null_stdin = true, .own_group = true};
    pid_t pid = spawn_start(p->server.v, &so, e);
    if (fd >= 0) {
        close(fd);
    }
    double until = now_s() + (p->real ? 60 : 10); /* pyOCD connects to the probe first */
    while (pid > 0 && !listening(p->port)) {
        char *out = NULL;
        size_t len;
        struct err ignored;
        int st = 0;
        bool ended = waitpid(pid, &st, WNOHANG) == pid;
        if (p->real && read_file(log, &out, &len, &ignored) == 0 &&
            (ended || pyocd_no_probe(out))) {
            fputs(out, stderr);
            pyocd_failed(b, out, WIFEXITED(st) ? WEXITSTATUS(st) : 1, e);
        } else if (ended || now_s() > until) {
            err_set(e, "%s did not start serving gdb on port %u", p->server.v[0], p->port);
        } else {
            struct timespec ts = {0, 20 * 1000 * 1000};
            nanosleep(&ts, NULL);
            free(out);
            continue;
        }
        free(out);
        if (!ended) {
            spawn_stop(pid);
        }
        pid = -1;
    }
    free(log);
    return pid;
}

static int run_debug(const struct cli *c, struct err *e)
{
    struct session s = {0};
    struct build b = {0};
    struct plan p = {0};
    struct build_opts o = {
        .verbose = c->verbose, .jobs = c->jobs, .out_fd = STDERR_FILENO, .quiet = true};
    bool relinked;
    int rc = session_build(&s, c, &b, e) || make_plan(c, &b, &p, e);
    if (rc == 0 && c->print_only) {
        if (!p.host) {
            spawn_print(stdout, p.server.v);
        }
        spawn_print(stdout, p.gdb.v);
    } else if (rc == 0) {
        rc = build_run(&b, &s.p.m, &o, &relinked, e) ||
             (!p.real && !p.host && build_image_ready(&b, c->image, e));
        session_end(&s); /* the project is free again while debugging */
        pid_t server = rc != 0 ? -1 : p.host ? 0 : start_server(&b, &p, e);
        rc = server < 0 ? -1 : 0;
        if (rc == 0) {
            if (p.host) {
                ui_status("Debugging", "%s on this machine (board host): gdb runs it (`run`)",
                          build_shown(&b, b.elf));
            } else {
                ui_status("Debugging", "%s on %s: %s serves gdb on localhost:%u%s",
                          build_shown(&b, b.elf), b.board, p.server.v[0], p.port,
                          p.real ? "" : "; the firmware's console prints here");
            }
            struct spawn_result r;
            pid_t gdb = spawn_start(p.gdb.v, NULL, e);
            if (gdb < 0) {
                rc = -1;
            } else {
                spawn_wait(gdb, 0, -1, &r);
                if (r.code != 0) {
                    rc = err_set(e, "gdb ended with exit status %d", r.code);
                    e->status = r.code;
                }
            }
            if (server > 0) {
                spawn_stop(server);
            }
        }
    }
    argv_free(&p.server);
    argv_free(&p.gdb);
    build_free(&b);
    session_end(&s);
    return rc ? -1 : 0;
}

const struct command cmd_debug = {
    .name = "debug",
    .args = "[-- GDB-ARG...]",
    .summary = "build, then debug the firmware with gdb",
    .help = "Builds the firmware, starts a gdb server for the board and runs gdb\n"
            "(gdb-multiarch, else arm-none-eabi-gdb) with the ELF, connected to it. An\n"
            "emulated board runs in QEMU, halted at reset, its console on this terminal;\n"
            "a real board (or an emulated one given --probe) is reached through pyOCD's\n"
            "gdbserver, and gdb programs the flash (`load`) and resets it. Quitting gdb\n"
            "stops the server. Arguments after `--` go to gdb after those that connect\n"
            "it, e.g. `cmrx debug -- -batch -x script.gdb` runs a script and ends.\n"
            "--print-only prints the two commands and starts nothing. With --board host\n"
            "(the host simulation) gdb runs the firmware's Linux program itself: `run`\n"
            "starts it, an isolation fault stops it at the faulting line.\n",
    .opts = OPT_PRINT_ONLY | OPT_IMAGE | OPT_PROBE | OPT_BOARD | OPT_RELEASE | OPT_VERBOSE |
            OPT_JOBS | OPT_DIR | OPT_OFFLINE | OPT_REGISTRY,
    .lazy_git = true,
    .max_args = 256,
    .run = run_debug,
};
