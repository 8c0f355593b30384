/* cmrx build's generated CMakeLists.txt (from cmrx.yaml, the lock and the
 * components' component.yaml) and the command lines cmrx prints. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "build.h"
#include "fsutil.h"
#include "manifest.h"
#include "spawn.h"
#include "text.h"

static const char yaml[] = "name: demo-app\n"
                           "board: qemu-mps2-an385\n"
                           "processes:\n"
                           "  - name: sensor\n"
                           "    sources: [src/sensor.c, src/filter.c]\n"
                           "    include_dirs: [include]\n"
                           "    stack_size: 2K\n"
                           "    threads: 2\n"
                           "    timers: 3\n"
                           "    priority: 8\n"
                           "    max_priority: 6\n"
                           "    rpc_stack: 256\n"
                           "    mmio:\n"
                           "      - { base: 0x40004000, size: 0x1000 }\n"
                           "    irqs: [5, 6]\n"
                           "    fault_policy: restart\n"
                           "    system: true\n"
                           "  - name: rogue\n"
                           "    sources: [src/rogue.c]\n";

struct fixture {
    char root[64];
    struct build b;
    struct lock_pkg pkgs[2];
    char *dirs[2];
};

static void touch(const char *root, const char *rel)
{
    char *p = path_join(root, rel);
    char *dir = xstrdup(p);
    *strrchr(dir, '/') = '\0';
    assert_int_equal(mkdir_p(dir), 0);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fclose(f);
    free(dir);
    free(p);
}

static int setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof(*fx));
    strcpy(fx->root, "/tmp/cmrx-unit-XXXXXX");
    assert_non_null(mkdtemp(fx->root));
    touch(fx->root, "src/sensor.c");
    touch(fx->root, "src/filter.c");
    touch(fx->root, "src/rogue.c");
    fx->pkgs[0] = (struct lock_pkg){.name = "kernel",
                                    .kind = KIND_KERNEL,
                                    .version = "0.1.0",
                                    .checksum = "855f60235d80c0928fb76f495188865813a1f1e6"};
    fx->pkgs[1] = (struct lock_pkg){.name = "uart-console",
                                    .kind = KIND_COMPONENT,
                                    .version = "1.2.0",
                                    .checksum = "0123456789abcdef0123456789abcdef01234567"};
    fx->dirs[0] = path_join(fx->root, "packages/kernel");
    fx->dirs[1] = path_join(fx->root, "packages/uart-console");
    fx->b.root = fx->root;
    fx->b.name = "demo-app";
    fx->b.board_dir = path_join(fx->root, "packages/qemu-mps2-an385");
    fx->b.lock.pkgs = fx->pkgs;
    fx->b.lock.n = 1; /* the kernel; 2 with the component */
    fx->b.pkg_dirs = fx->dirs;
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;
    rm_rf(fx->root);
    free(fx->dirs[0]);
    free(fx->dirs[1]);
    free(fx->b.board_dir);
    free(fx);
    return 0;
}

static void expect_in(const char *text, const char *part)
{
    if (strstr(text, part) == NULL) {
        fail_msg("missing:\n%s\n--- in:\n%s", part, text);
    }
}

/* expect_in() of a printf-formatted part. */
static void expect_inf(const char *text, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char part[4096];
    vsnprintf(part, sizeof(part), fmt, ap);
    va_end(ap);
    expect_in(text, part);
}

/* The generated text, which must be made. */
static char *generate(const struct build *b, const struct manifest *m)
{
    struct err e = {0};
    char *text = build_cmakelists(b, m, &e);
    if (text == NULL) {
        fail_msg("%s", e.msg);
    }
    return text;
}

static void every_key_becomes_an_sdk_argument(void **state)
{
    struct fixture *fx = *state;
    struct manifest m = parse_ok(yaml);
    char *text = generate(&fx->b, &m);
    expect_inf(text,
               "set(CMAKE_TOOLCHAIN_FILE \"%s/packages/kernel/cmake/toolchain/"
               "arm-none-eabi.cmake\")\nproject(demo-app C ASM)\n"
               "set(CMAKE_EXPORT_COMPILE_COMMANDS ON)\n"
               "include(\"%s/packages/kernel/cmake/cmrx.cmake\")\n"
               "if(NOT CMRX_CMAKE_API GREATER_EQUAL 2)\n"
               "    message(FATAL_ERROR \"packages/kernel is older than this cmrx: its "
               "cmake/cmrx.cmake has interface level ${CMRX_CMAKE_API} (none before 2026-12-05), "
               "this cmrx writes for level 2. `cmrx update kernel` moves it to the newest version "
               "cmrx.yaml allows\")\nendif()\n"
               "cmrx_use_board(\"%s/packages/qemu-mps2-an385\")\n",
               fx->root, fx->root, fx->root);
    expect_inf(text,
               "\n# cmrx.yaml:4\ncmrx_add_process(NAME sensor\n"
               "    SOURCES \"%s/src/sensor.c\" \"%s/src/filter.c\"\n"
               "    INCLUDE_DIRS \"%s/include\"\n"
               "    STACK_SIZE 2048 THREADS 2 TIMERS 3 PRIORITY 8 MAX_PRIORITY 6 RPC_STACK 256 "
               "MMIO 0x40004000:0x1000 IRQS 5 6 FAULT_POLICY restart SYSTEM)\n",
               fx->root, fx->root, fx->root);
    /* Nothing written, nothing passed: the SDK's defaults apply. */
    expect_inf(text, "cmrx_add_process(NAME rogue\n    SOURCES \"%s/src/rogue.c\")\n", fx->root);
    expect_in(text, "\ncmrx_add_firmware(NAME demo-app PROCESSES sensor rogue)\n");
    /* The lock is in the text, so a new lock means configuring again. */
    expect_in(text, "#   kernel 0.1.0 855f60235d80c0928fb76f495188865813a1f1e6 ");
    free(text);
    manifest_free(&m);
}

/* The project's definitions and options, then the process's own: later
 * ones win (a -Wno-... after -Wall, a NAME defined again). */
static void defines_and_cflags_reach_the_sdk_in_order(void **state)
{
    struct fixture *fx = *state;
    static const char text_yaml[] = "name: demo-app\n"
                                    "board: qemu-mps2-an385\n"
                                    "defines: [A=1]\n"
                                    "cflags: [-Wshadow]\n"
                                    "processes:\n"
                                    "  - name: sensor\n"
                                    "    sources: [src/sensor.c]\n"
                                    "    defines: [A=2, 'S=\"x y\"']\n"
                                    "    cflags: [-Wno-shadow]\n"
                                    "  - name: rogue\n"
                                    "    sources: [src/rogue.c]\n";
    struct manifest m = parse_ok(text_yaml);
    char *text = generate(&fx->b, &m);
    expect_inf(text,
               "cmrx_add_process(NAME sensor\n    SOURCES \"%s/src/sensor.c\"\n"
               "    DEFINES \"A=1\" \"A=2\" \"S=\\\"x y\\\"\"\n"
               "    COMPILE_OPTIONS \"-Wshadow\" \"-Wno-shadow\")\n",
               fx->root);
    expect_inf(text,
               "cmrx_add_process(NAME rogue\n    SOURCES \"%s/src/rogue.c\"\n"
               "    DEFINES \"A=1\"\n    COMPILE_OPTIONS \"-Wshadow\")\n",
               fx->root);
    free(text);
    manifest_free(&m);
}

static void components_add_processes_and_libraries(void **state)
{
    struct fixture *fx = *state;
    struct manifest m = parse_ok(yaml);
    struct err e = {0};
    fx->b.lock.n = 2;
    /* A component without component.cmake cannot be built. */
    assert_null(build_cmakelists(&fx->b, &m, &e));
    assert_string_equal(e.msg, "component 'uart-console' has no component.cmake "
                               "(packages/uart-console/component.cmake), so its processes cannot "
                               "be built");
    touch(fx->root, "packages/uart-console/component.cmake");
    char *text = generate(&fx->b, &m);
    /* Every package's folder, for components that build from another's files. */
    expect_inf(text,
               "cmrx_use_board(\"%s/packages/qemu-mps2-an385\")\n\n"
               "# where each package is; settings of cmrx.yaml\n"
               "cmrx_package_at(kernel \"%s/packages/kernel\")\n"
               "cmrx_package_at(uart-console \"%s/packages/uart-console\")\n"
               "\n# component uart-console 1.2.0\n"
               "include(\"%s/packages/uart-console/component.cmake\")\n"
               "get_property(cmrx_component_processes GLOBAL PROPERTY CMRX_COMPONENT_PROCESSES)\n"
               "get_property(cmrx_component_libraries GLOBAL PROPERTY CMRX_COMPONENT_LIBRARIES)\n",
               fx->root, fx->root, fx->root, fx->root);
    /* Every process of cmrx.yaml gets the client libraries; the firmware gets the processes. */
    expect_inf(text, "SOURCES \"%s/src/rogue.c\"\n    LIBS ${cmrx_component_libraries})\n",
               fx->root);
    expect_inf(text, "    INCLUDE_DIRS \"%s/include\"\n    LIBS ${cmrx_component_libraries}\n",
               fx->root);
    expect_in(text, "\ncmrx_add_firmware(NAME demo-app PROCESSES sensor rogue "
                    "${cmrx_component_processes})\n");
    free(text);
    manifest_free(&m);
}

static void bad_projects_are_refused(void **state)
{
    struct fixture *fx = *state;
    struct err e = {0};
    char *text = text_replace(yaml, "src/rogue.c", "src/nope.c");
    struct manifest m = parse_ok(text);
    assert_null(build_cmakelists(&fx->b, &m, &e));
    assert_string_equal(e.msg, "cmrx.yaml:18: process 'rogue': source 'src/nope.c' does not exist");
    manifest_free(&m);
    free(text);

    m = parse_ok("name: x\nboard: b\n");
    assert_null(build_cmakelists(&fx->b, &m, &e));
    expect_in(e.msg, "declares no processes");
    manifest_free(&m);

    /* CMake takes a ';' in a quoted argument as a list separator. */
    m = parse_ok(yaml);
    char *root = fx->b.root;
    fx->b.root = "/tmp/a;b";
    assert_null(build_cmakelists(&fx->b, &m, &e));
    expect_in(e.msg, "'/tmp/a;b'");
    fx->b.root = root;
    manifest_free(&m);
}

/* Peripherals are checked against the board, settings become CMake variables. */
static void peripherals_and_settings(void **state)
{
    struct fixture *fx = *state;
    struct err e = {0};
    fx->b.lock.n = 2;
    touch(fx->root, "packages/uart-console/component.cmake");
    char *text = text_replace(yaml, "    system: true\n",
                              "    system: true\n    peripherals: [eth0, timer1]\n");
    char *more = xasprintf("%ssettings:\n  uart-console: { rx_size: 256, mode: fast }\n", text);
    struct manifest m = parse_ok(more);
    /* Without a loaded board nothing is checked here (CMake checks again). */
    char *out = generate(&fx->b, &m);
    expect_in(out, "IRQS 5 6 PERIPHERALS eth0 timer1 FAULT_POLICY restart SYSTEM)\n");
    expect_in(out, "cmrx_setting(uart-console rx_size \"256\") # cmrx.yaml:22\n"
                   "cmrx_setting(uart-console mode \"fast\") # cmrx.yaml:22\n");
    free(out);
    /* A board with eth0 only. */
    fx->b.has_bsp = true;
    fx->b.board = "test-board";
    fx->b.bsp.n_peripherals = 1;
    fx->b.bsp.peripherals[0].name = "eth0";
    assert_null(build_cmakelists(&fx->b, &m, &e));
    assert_string_equal(e.msg, "cmrx.yaml:4: process 'sensor' asks for peripheral 'timer1', which "
                               "board test-board does not have");
    expect_in(e.hint, "its bsp.yaml names eth0");
    fx->b.bsp.n_peripherals = 0;
    fx->b.has_bsp = false;
    manifest_free(&m);
    free(more);
    /* Settings of a package the project does not use are a mistake. */
    more = xasprintf("%ssettings:\n  netstack: { sockets: 4 }\n", text);
    m = parse_ok(more);
    assert_null(build_cmakelists(&fx->b, &m, &e));
    assert_string_equal(e.msg, "cmrx.yaml:22: 'settings.netstack' is for a package this project "
                               "does not use");
    manifest_free(&m);
    free(more);
    free(text);
}

static void special_characters_are_quoted(void **state)
{
    struct fixture *fx = *state;
    char *odd = xasprintf("%s/a $dollar\\", fx->root);
    touch(odd, "src/sensor.c");
    touch(odd, "src/filter.c");
    touch(odd, "src/rogue.c");
    struct manifest m = parse_ok(yaml);
    char *root = fx->b.root;
    fx->b.root = odd;
    char *text = generate(&fx->b, &m);
    fx->b.root = root;
    expect_inf(text, "\"%s/a \\$dollar\\\\/src/rogue.c\"", fx->root);
    free(text);
    free(odd);
    manifest_free(&m);
}

static void command_lines_print_as_a_shell_reads_them(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    char *argv[] = {"gdb-multiarch", "-ex", "target remote localhost:1234", "it's", "",
                    "a=b,c",         NULL};
    spawn_print(f, argv);
    fclose(f);
    assert_string_equal(buf,
                        "gdb-multiarch -ex 'target remote localhost:1234' 'it'\\''s' '' a=b,c\n");
    free(buf);
}

static void programs_are_found_on_path(void **state)
{
    (void)state;
    char *sh = spawn_find("sh");
    assert_non_null(sh);
    assert_true(sh[0] == '/');
    free(sh);
    assert_null(spawn_find("cmrx-no-such-program"));
    struct spawn_result r;
    struct err e = {0};
    char *out = NULL;
    char *argv[] = {"sh", "-c", "echo out; echo err >&2; exit 3", NULL};
    assert_int_equal(spawn_capture(argv, NULL, &out, &r, &e), 0);
    assert_string_equal(out, "out\n");
    assert_int_equal(r.code, 3);
    free(out);
    char *missing[] = {"cmrx-no-such-program", NULL};
    assert_int_equal(spawn_run(missing, NULL, &r, &e), -1);
    assert_string_equal(e.msg, "cannot run cmrx-no-such-program: it is not installed (not found "
                               "on PATH)");
    /* A time limit stops the child. */
    char *sleeper[] = {"sleep", "10", NULL};
    pid_t pid = spawn_start(sleeper, NULL, &e);
    assert_true(pid > 0);
    spawn_wait(pid, 0.2, -1, &r);
    assert_true(r.timed_out);
    assert_false(r.reader_gone);
    assert_int_equal(r.signal, 15);
}

/* A child writing into a pipe whose reader is gone is stopped at once, long
 * before its time limit; one whose reader stays is left alone. */
static void a_pipe_without_reader_stops_the_child(void **state)
{
    (void)state;
    struct err e = {0};
    struct spawn_result r;
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    fcntl(fds[0], F_SETFD, FD_CLOEXEC); /* the child holds no read end */
    /* SIGPIPE ignored, as QEMU does: the child itself would never end. */
    char *writer[] = {"sh", "-c", "trap '' PIPE; exec sleep 30", NULL};
    struct spawn_opts o = {.out_fd = fds[1], .null_stdin = true};
    pid_t pid = spawn_start(writer, &o, &e);
    assert_true(pid > 0);
    close(fds[0]);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    spawn_wait(pid, 20, fds[1], &r);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    close(fds[1]);
    assert_true(r.reader_gone);
    assert_false(r.timed_out);
    assert_int_equal(r.signal, 15);
    assert_true(t1.tv_sec - t0.tv_sec < 10);

    /* The reader stays: the child ends by itself. */
    assert_int_equal(pipe(fds), 0);
    char *quick[] = {"sh", "-c", "sleep 0.2; exit 4", NULL};
    o.out_fd = fds[1];
    pid = spawn_start(quick, &o, &e);
    assert_true(pid > 0);
    spawn_wait(pid, 20, fds[1], &r);
    close(fds[0]);
    close(fds[1]);
    assert_false(r.reader_gone);
    assert_false(r.timed_out);
    assert_int_equal(r.code, 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(every_key_becomes_an_sdk_argument, setup, teardown),
        cmocka_unit_test_setup_teardown(defines_and_cflags_reach_the_sdk_in_order, setup, teardown),
        cmocka_unit_test_setup_teardown(components_add_processes_and_libraries, setup, teardown),
        cmocka_unit_test_setup_teardown(bad_projects_are_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(peripherals_and_settings, setup, teardown),
        cmocka_unit_test_setup_teardown(special_characters_are_quoted, setup, teardown),
        cmocka_unit_test(command_lines_print_as_a_shell_reads_them),
        cmocka_unit_test(programs_are_found_on_path),
        cmocka_unit_test(a_pipe_without_reader_stops_the_child),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
