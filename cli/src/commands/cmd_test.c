/* cmrx test: build the project's target tests, boot each in QEMU with a
 * time limit, and report: a line per test, the console of each that
 * failed (fault reports decoded), a summary, and with --junit a JUnit XML
 * file for CI. A test's verdict is its firmware's exit code. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "build.h"
#include "cli.h"
#include "faults.h"
#include "fsutil.h"
#include "qemu.h"
#include "session.h"
#include "spawn.h"
#include "tools.h"
#include "ui.h"

/* Seconds a test may run without --timeout. */
#define TEST_TIMEOUT_S 60.0

struct result {
    const char *kind; /**< "host" or "target" */
    const char *name;
    bool passed;
    bool timed_out;
    bool compile_failed; /**< a host test that did not compile */
    int code;            /**< its exit status */
    double seconds;      /**< how long it ran */
    double limit;        /**< its time limit (s) */
    char *log;           /**< its output (a target test's: console and QEMU's), decoded */
};

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Run @p argv with its output in @p log and a time limit of @p limit s (0: none); fill @p res in
 * (its log decoded against @p elf, if not NULL). @return 0, or -1 (it
 * could not start, or Ctrl-C: e->status 130). */
static int run_logged(double limit, const struct build *b, char *const argv[], const char *log,
                      const char *elf, struct result *res, struct err *e)
{
    int rc = 0;
    int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0) {
        return err_set(e, "cannot write %s: %s", log, strerror(errno));
    }
    struct spawn_opts so = {.out_fd = fd, .err_fd = fd, .null_stdin = true};
    double start = now_s();
    pid_t pid = spawn_start(argv, &so, e);
    close(fd);
    if (pid < 0) {
        return -1;
    }
    struct spawn_result r;
    spawn_wait(pid, limit, -1, &r);
    res->seconds = now_s() - start;
    res->limit = limit;
    res->timed_out = r.timed_out;
    res->code = r.code;
    res->passed = !r.timed_out && r.stop_signal == 0 && r.code == 0;
    if (r.stop_signal != 0) {
        rc = err_set(e, "%s", spawn_stop_word(&r));
        e->status = spawn_signal_status(r.stop_signal);
    }
    char *text = NULL;
    size_t len;
    struct err ignored;
    if (read_file(log, &text, &len, &ignored) == 0) {
        struct fault_decoder d;
        size_t n;
        FILE *f = xmemstream(&res->log, &n);
        fault_decoder_init(&d, elf, b->root);
        fault_decode_text(&d, text, f);
        fault_decoder_free(&d);
        fclose(f);
    }
    free(text);
    return rc;
}

/* Boot target test @p i in QEMU; its console goes to build/BOARD/test/test_NAME.log. */
static int run_target(const struct cli *c, const struct build *b, size_t i, struct result *res,
                      struct err *e)
{
    char *elf = build_test_elf(b, i);
    char *log = xasprintf("%s/test_%s.log", b->dir, b->tests[i]);
    struct argv a = {0};
    res->kind = "target";
    res->name = b->tests[i];
    /* A board with storage: each test starts with erased flash of its own. */
    char *img = b->bsp.qemu_storage_size != 0
                    ? xasprintf("%s/test_%s.img", b->dir, b->tests[i])
                    : NULL;
    if (img != NULL) {
        unlink(img);
    }
    int rc = build_image_ready(b, img, e) || build_qemu(b, elf, 0, img, NULL, &a, e) ||
             run_logged(c->timeout > 0 ? c->timeout : TEST_TIMEOUT_S, b, a.v, log, elf, res, e);
    argv_free(&a);
    free(img);
    free(log);
    free(elf);
    return rc ? -1 : 0;
}

/* Compile host test @p i with @p cc (build_host_test()) and run it; its
 * output goes next to it, NAME.log. A test that does not compile fails. */
static int run_host(const struct cli *c, const struct build *b, size_t i, char *const cc[],
                    const char *exe, struct result *res, struct err *e)
{
    char *log = xasprintf("%s.log", exe);
    char *argv[] = {(char *)exe, NULL};
    res->kind = "host";
    res->name = b->host_tests[i];
    /* The compiler's time is not the test's: no limit but Ctrl-C. */
    int rc = run_logged(0, b, cc, log, NULL, res, e);
    if (rc == 0 && !res->passed) {
        res->compile_failed = true;
    } else if (rc == 0) {
        free(res->log);
        res->log = NULL;
        rc = run_logged(c->timeout > 0 ? c->timeout : TEST_TIMEOUT_S, b, argv, log, NULL, res, e);
    }
    free(log);
    return rc;
}

/* @p s with XML's special characters escaped, and control characters
 * (which XML 1.0 cannot hold) as '?'. */
static void xml_text(FILE *f, const char *s)
{
    for (; s != NULL && *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '&') {
            fputs("&amp;", f);
        } else if (ch == '<') {
            fputs("&lt;", f);
        } else if (ch == '>') {
            fputs("&gt;", f);
        } else if (ch == '"') {
            fputs("&quot;", f);
        } else if (ch == '\r') {
            continue; /* the console's line ends are CR LF */
        } else if (ch < 0x20 && ch != '\n' && ch != '\t') {
            fputc('?', f);
        } else {
            fputc(ch, f);
        }
    }
}

static const char *verdict(const struct result *r, char *buf, size_t n)
{
    if (r->compile_failed) {
        snprintf(buf, n, "does not compile");
    } else if (r->timed_out) {
        snprintf(buf, n, "still running after its %g s", r->limit);
    } else {
        snprintf(buf, n, "exit status %d", r->code);
    }
    return buf;
}

static int write_junit(const char *path, const struct build *b, const struct result *res, size_t n,
                       size_t failed, struct err *e)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = xmemstream(&text, &len);
    double total = 0;
    for (size_t i = 0; i < n; i++) {
        total += res[i].seconds;
    }
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n"
               "  <testsuite name=\"");
    xml_text(f, b->name);
    fprintf(f, ".%s\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" time=\"%.3f\">\n", b->board, n,
            failed, total);
    for (size_t i = 0; i < n; i++) {
        char why[64];
        fprintf(f, "    <testcase classname=\"");
        xml_text(f, b->name);
        fprintf(f, ".%s.%s\" name=\"%s\" time=\"%.3f\">\n", res[i].kind,
                strcmp(res[i].kind, "host") == 0 ? "linux" : b->board, res[i].name, res[i].seconds);
        if (!res[i].passed) {
            fprintf(f, "      <failure message=\"%s\">", verdict(&res[i], why, sizeof(why)));
            xml_text(f, res[i].log);
            fputs("</failure>\n", f);
        }
        fputs("      <system-out>", f);
        xml_text(f, res[i].log);
        fputs("</system-out>\n    </testcase>\n", f);
    }
    fputs("  </testsuite>\n</testsuites>\n", f);
    fclose(f);
    int rc = write_file_atomic(path, text, len, e);
    free(text);
    return rc;
}

/* Print test @p r's line, and its console if it failed. */
static void report(const struct result *r)
{
    char why[64];
    if (r->passed) {
        printf("%-6s %s %s (%.1f s)\n", "PASS", r->kind, r->name, r->seconds);
        return;
    }
    printf("%-6s %s %s (%s)\n", "FAIL", r->kind, r->name, verdict(r, why, sizeof(why)));
    for (const char *l = r->log; l != NULL && *l;) { /* its output, indented */
        size_t n = strcspn(l, "\n");
        printf("       | %.*s\n", (int)(n > 0 && l[n - 1] == '\r' ? n - 1 : n), l);
        l += n + (l[n] == '\n');
    }
    fflush(stdout);
}

static int run_test(const struct cli *c, struct err *e)
{
    struct session s = {0};
    struct build b = {0};
    struct build_opts o = {.verbose = c->verbose, .out_fd = STDERR_FILENO, .quiet = true};
    bool relinked;
    int rc = session_build(&s, c, &b, e) || build_tests(&b, &s.p.m, e);
    /* The host tests' compiler commands, while cmrx.yaml is at hand; their
     * macros come from the configured test build. */
    if (rc == 0 && b.n_host_tests > 0) {
        rc = build_configure(&b, &s.p.m, &o, e);
    }
    struct argv *cc = xcalloc(b.n_host_tests + 1, sizeof(*cc));
    char **exe = xcalloc(b.n_host_tests + 1, sizeof(*exe));
    for (size_t i = 0; rc == 0 && i < b.n_host_tests; i++) {
        rc = build_host_test(&b, &s.p.m, i, &exe[i], &cc[i], e);
    }
    if (rc == 0 && b.n_tests > 0) {
        struct argv emulated = {0}; /* only to learn that the board is emulated */
        char *qemu = NULL;
        rc = build_qemu(&b, NULL, 0, NULL, NULL, &emulated, e);
        argv_free(&emulated);
        if (rc == 0 && !build_is_host(&b) &&
            (qemu = tool_require(QEMU_PROGRAM, "cmrx test", e)) == NULL) {
            rc = -1;
        }
        free(qemu);
        if (rc == 0) {
            rc = build_run(&b, &s.p.m, &o, &relinked, e);
        }
    }
    session_end(&s); /* the project is free again while the tests run */
    size_t total = b.n_host_tests + b.n_tests;
    struct result *res = xcalloc(total + 1, sizeof(*res));
    size_t ran = 0, failed = 0;
    if (rc == 0 && b.n_host_tests > 0) {
        ui_status("Testing", "%s on this machine: %zu host test%s", b.name, b.n_host_tests,
                  b.n_host_tests == 1 ? "" : "s");
    }
    for (size_t i = 0; rc == 0 && i < b.n_host_tests; i++) {
        rc = run_host(c, &b, i, cc[i].v, exe[i], &res[ran], e);
        if (rc == 0) {
            failed += !res[ran].passed;
            report(&res[ran++]);
        }
    }
    if (rc == 0 && b.n_tests > 0 && build_is_host(&b)) {
        ui_status("Testing",
                  "%s on this machine (board host, the host simulation): %zu target "
                  "test%s",
                  b.name, b.n_tests, b.n_tests == 1 ? "" : "s");
    } else if (rc == 0 && b.n_tests > 0) {
        ui_status("Testing", "%s on %s in QEMU (machine %s): %zu target test%s", b.name, b.board,
                  b.bsp.qemu_machine, b.n_tests, b.n_tests == 1 ? "" : "s");
    }
    for (size_t i = 0; rc == 0 && i < b.n_tests; i++) {
        rc = run_target(c, &b, i, &res[ran], e);
        if (rc == 0) {
            failed += !res[ran].passed;
            report(&res[ran++]);
        }
    }
    if (rc == 0 && c->junit != NULL) {
        rc = write_junit(c->junit, &b, res, ran, failed, e);
    }
    if (rc == 0) {
        printf("%zu passed, %zu failed of %zu test%s of %s (%zu host, %zu target on %s)\n",
               ran - failed, failed, ran, ran == 1 ? "" : "s", b.name, b.n_host_tests, b.n_tests,
               b.board);
        if (failed > 0) {
            rc = err_set(e, "%zu of %zu tests failed; each failed test's output is above", failed,
                         ran);
            err_hint(e, "whole outputs: build/host-test/NAME.log and %s/test_NAME.log",
                     build_shown(&b, b.dir));
        }
    }
    for (size_t i = 0; i < ran; i++) {
        free(res[i].log);
    }
    for (size_t i = 0; i < b.n_host_tests; i++) {
        argv_free(&cc[i]);
        free(exe[i]);
    }
    free(cc);
    free(exe);
    free(res);
    build_free(&b);
    return rc ? -1 : 0;
}

const struct command cmd_test = {
    .name = "test",
    .args = "",
    .summary = "build the project's tests and run them, on this machine and in QEMU",
    .help = "Host tests: compiles each file tests/host/NAME.c, a CMocka program, for\n"
            "this machine with the process code it includes and a stand-in for CMRX's\n"
            "userspace API (an RPC call is a plain call: a test stands in for a\n"
            "service with an object of its type), with AddressSanitizer and UBSan, and\n"
            "runs it. Target tests: builds a test firmware for each file\n"
            "tests/target/NAME.c and boots each in QEMU on the board (cmrx.yaml's, or\n"
            "--board B). A test firmware holds the test's own process NAME (one thread,\n"
            "2 KiB of stack, allowed to end the firmware), every process of cmrx.yaml\n"
            "that is not `system: true` (those drive the firmware; in a test, the test\n"
            "does) and the components'. A test passes when it exits with 0 (a target\n"
            "test: cmrx_shutdown(0)); another code, a kernel panic, or running past the\n"
            "time limit (--timeout S, default 60 s) fails it. Prints a line per test,\n"
            "the output of each failed test with fault reports decoded, and a summary;\n"
            "exit status 1 if a test failed. --junit FILE also writes the results as\n"
            "JUnit XML. Tests are built apart from the firmware, in build/host-test and\n"
            "build/BOARD/test (docs/testing.md). With --board host the target tests run\n"
            "on this machine in the host simulation (each a Linux program, processes\n"
            "protected by mprotect), without QEMU.\n",
    .opts =
        OPT_TIMEOUT | OPT_BOARD | OPT_JUNIT | OPT_VERBOSE | OPT_DIR | OPT_OFFLINE | OPT_REGISTRY,
    .notes = (const struct opt_note[]){{OPT_TIMEOUT, "fail a test that runs longer than S seconds\n"
                                                     "(default 60)"},
                                       {0, NULL}},
    .lazy_git = true,
    .run = run_test,
};
