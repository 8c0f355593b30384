/* cmrx.yaml: parsing, validation errors, emit round trip, in-place edits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "manifest.h"
#include "text.h"

static const char full[] = "# a comment at the top\n"
                           "name: demo-app\n"
                           "version: 1.2.3\n"
                           "description: Grüße, a demo\n"
                           "board: qemu-mps2-an385\n"
                           "kernel: ^0.1\n"
                           "dependencies:\n"
                           "  uart-console: ^1.2 # the console\n"
                           "  queue-server: '>=1.0, <2.0'\n"
                           "processes:\n"
                           "  - name: sensor\n"
                           "    sources: [src/sensor.c, src/filter.c]\n"
                           "    include_dirs: [include]\n"
                           "    stack_size: 2K\n"
                           "    threads: 2\n"
                           "    priority: 8\n"
                           "    max_priority: 6\n"
                           "    rpc_stack: 256\n"
                           "    mmio:\n"
                           "      - { base: 0x40004000, size: 0x1000 }\n"
                           "      - base: 0x40005000\n"
                           "        size: 4096\n"
                           "    irqs: [5, 6]\n"
                           "    peripherals: [eth0, timer1]\n"
                           "    callers: [rogue]\n"
                           "    fault_policy: restart\n"
                           "    system: true\n"
                           "  - name: rogue\n"
                           "    sources: [src/rogue.c]\n"
                           "settings:\n"
                           "  netstack: { sockets: 12, tcp_wnd: 0x1000 }\n"
                           "  uart-console:\n"
                           "    depth: 4\n"
                           "  emuflash:\n"
                           "    callers: [fs, logger]\n"
                           "  mailbox:\n"
                           "    owners: [\"3:logger\", 4:fs]\n"
                           "  fs:\n"
                           "    owners: [/logs:logger, \"/cfg:fs\"]\n";

static void parses_every_key(void **state)
{
    (void)state;
    struct manifest m = parse_ok(full);
    assert_string_equal(m.name, "demo-app");
    assert_string_equal(m.version, "1.2.3");
    assert_string_equal(m.board, "qemu-mps2-an385");
    assert_int_equal(m.board_line, 5);
    assert_string_equal(m.kernel, "^0.1");
    assert_int_equal(m.n_deps, 2);
    assert_string_equal(m.deps[0].name, "uart-console");
    assert_string_equal(m.deps[0].constraint, "^1.2");
    assert_int_equal(m.deps[0].line, 8);
    assert_string_equal(m.deps[1].constraint, ">=1.0, <2.0");
    assert_int_equal(m.n_procs, 2);
    const struct process_decl *p = &m.procs[0];
    assert_string_equal(p->name, "sensor");
    assert_int_equal(p->n_sources, 2);
    assert_string_equal(p->sources[1], "src/filter.c");
    assert_int_equal(p->stack_size, 2048);
    assert_int_equal(p->threads, 2);
    assert_int_equal(p->priority, 8);
    assert_int_equal(p->max_priority, 6);
    assert_int_equal(p->rpc_stack, 256);
    assert_true(p->given & PROC_GIVEN(max_priority));
    assert_true(p->given & PROC_GIVEN(rpc_stack));
    assert_int_equal(p->n_mmio, 2);
    assert_int_equal(p->mmio[0].base, 0x40004000);
    assert_int_equal(p->mmio[1].size, 4096);
    assert_int_equal(p->n_irqs, 2);
    assert_int_equal(p->irqs[1], 6);
    assert_int_equal(p->fault_policy, FAULT_RESTART);
    assert_true(p->system);
    assert_int_equal(p->n_peripherals, 2);
    assert_string_equal(p->peripherals[1], "timer1");
    assert_int_equal(m.procs[1].n_peripherals, 0);
    assert_int_equal(p->n_callers, 1);
    assert_string_equal(p->callers[0], "rogue");
    assert_null(m.procs[1].callers); /* not written: every process may call it */
    assert_int_equal(m.n_settings, 6);
    assert_false(m.settings[2].list);
    assert_true(m.settings[3].list); /* a list of words, for CMake a list */
    assert_string_equal(m.settings[3].value, "fs;logger");
    assert_string_equal(m.settings[4].value, "3:logger;4:fs"); /* ID:process, quoted or not */
    assert_string_equal(m.settings[5].value, "/logs:logger;/cfg:fs"); /* fs's /dir:process */
    assert_string_equal(m.settings[1].key, "tcp_wnd");
    assert_string_equal(m.settings[1].value, "0x1000");
    assert_int_equal(m.settings[2].line, 33);
    assert_string_equal(m.settings[2].component, "uart-console");
    assert_string_equal(m.settings[2].key, "depth");
    /* What is not written is not given, and has the default of limits.h. */
    assert_int_equal(m.procs[1].given, 0);
    assert_int_equal(m.procs[1].fault_policy, FAULT_KILL_THREAD);
    assert_int_equal(m.procs[1].stack_size, 1024);
    assert_int_equal(m.procs[1].threads, 1);
    assert_int_equal(m.procs[1].priority, 16);
    manifest_free(&m);
}

static void round_trips_through_emit(void **state)
{
    (void)state;
    struct manifest a = parse_ok(full);
    char *text, *again;
    size_t len, len2;
    struct err e = {0};
    assert_int_equal(manifest_emit(&a, &text, &len, &e), 0);
    struct manifest b = parse_ok(text);
    assert_true(manifest_equal(&a, &b));
    /* Emitting is stable: the emitted text emits as itself. */
    assert_int_equal(manifest_emit(&b, &again, &len2, &e), 0);
    assert_string_equal(text, again);
    /* A change is visible to manifest_equal. */
    b.procs[0].priority = 9;
    assert_false(manifest_equal(&a, &b));
    b.procs[0].priority = a.procs[0].priority;
    free(b.settings[0].value);
    b.settings[0].value = strdup("13");
    assert_false(manifest_equal(&a, &b));
    free(text);
    free(again);
    manifest_free(&a);
    manifest_free(&b);
}

struct bad_case {
    const char *text;
    const char *expect; /* substring of the message */
};

static void rejects_bad_manifests(void **state)
{
    (void)state;
    static const struct bad_case cases[] = {
        {"name: a\nboard: b\n  x: [\n", "cmrx.yaml:3:"},
        {"name: a\nboad: b\n", "cmrx.yaml:2: unknown key 'boad'"},
        {"name: a\n", "missing key 'board'"},
        {"", "the file is empty"},
        {"- a\n- b\n", "must be a mapping"},
        {"name: 9lives\nboard: b\n", "'name' is '9lives'"},
        {"name: all\nboard: b\n", "cmrx.yaml:1: 'name' is 'all', a name the build uses"},
        {"name: cmrx_kernel\nboard: b\n", "'name' is 'cmrx_kernel', a name the build uses"},
        {"name: a\nboard: ../b\n", "cmrx.yaml:2: 'board' is '../b'"},
        {"name: a\nboard: b\nkernel: ^x\n", "cmrx.yaml:3: 'kernel': invalid version constraint"},
        {"name: a\nboard: b\nversion: 1.0\n", "cmrx.yaml:3: 'version'"},
        {"name: a\nboard: b\ndependencies: [x]\n", "cmrx.yaml:3: 'dependencies' must be a mapping"},
        {"name: a\nboard: b\ndependencies:\n  ../evil: ^1\n",
         "cmrx.yaml:4: 'dependencies': '../evil' is not a package name"},
        {"name: a\nboard: b\ndependencies:\n  x: ^1\n  x: ^2\n", "'x' appears twice"},
        {"name: a\nboard: b\ndependencies:\n  kernel: ^1\n", "the kernel is not a dependency"},
        {"name: a\nboard: b\ndependencies:\n  x: [1]\n",
         "cmrx.yaml:4: 'dependencies.x' must be a non-empty string"},
        {"name: a\nboard: b\nprocesses:\n  - name: p\n", "missing key 'processes[0].sources'"},
        {"name: a\nboard: b\nprocesses:\n  - name: p\n    sources: [../x.c]\n",
         "cmrx.yaml:5: 'processes[0].sources': '../x.c' is not a path inside the project"},
        {"name: a\nboard: b\nprocesses:\n  - name: p\n    sources: [/etc/passwd]\n",
         "not a path inside the project"},
        {"name: a\nboard: b\nprocesses:\n  - name: p\n    sources: [a.c]\n    stack_size: lots\n",
         "cmrx.yaml:6: 'processes[0].stack_size' must be a number"},
        {"name: a\nboard: b\nprocesses:\n  - name: p\n    sources: [a.c]\n    stack_size: 100\n",
         "must be 256..1048576"},
        {"name: a\nboard: b\nprocesses:\n  - name: p\n    sources: [a.c]\n    priority: 31\n",
         "'processes[0].priority' is 31"},
        {"name: a\nboard: b\nprocesses:\n  - name: p\n    sources: [a.c]\n    priority: 8\n"
         "    max_priority: 9\n",
         "'processes[0].max_priority' is 9; it must be 0 (highest) .. 8 (its priority)"},
        {"name: a\nboard: b\nprocesses:\n  - name: p\n    sources: [a.c]\n    rpc_stack: 100\n",
         "'processes[0].rpc_stack' is 100; it must be 128..65535 bytes, or 0"},
        {"name: a\nboard: b\nprocesses:\n  - name: p\n    sources: [a.c]\n    stack: 1\n",
         "cmrx.yaml:6: unknown key 'processes[0].stack'"},
        {"name: a\nboard: b\nprocesses:\n  - name: p\n    sources: [a.c]\n    fault_policy: "
         "panic\n",
         "must be kill-thread, kill-process or restart"},
        {"name: a\nboard: b\nprocesses:\n  - name: p\n    sources: [a.c]\n    irqs: [1, 1]\n",
         "interrupt 1 is listed twice"},
        {"name: a\nboard: b\nprocesses:\n  - name: p\n    sources: [a.c]\n    irqs: [496]\n",
         "'processes[0].irqs[0]' is 496"},
        {"name: a\nboard: b\nprocesses:\n  - name: p\n    sources: [a.c]\n    mmio: [{base: 1}]\n",
         "missing key 'processes[0].mmio[0].size'"},
        {"name: a\nboard: b\nprocesses:\n  - name: p\n    sources: [a.c]\n    mmio: [{base: "
         "0xFFFFF000, size: 0x2000}]\n",
         "ends above 4 GiB"},
        {"name: a\nboard: b\nprocesses:\n  - name: p\n    sources: [a.c]\n    system: maybe\n",
         "must be true or false"},
        {"name: a\nboard: b\nprocesses:\n  - name: my-proc\n    sources: [a.c]\n",
         "a process name is a C identifier"},
        {"name: a\nboard: b\nprocesses:\n  - name: p\n    sources: [a.c]\n  - name: p\n    "
         "sources: [b.c]\n",
         "cmrx.yaml:6: two processes are called 'p' (the other at line 4)"},
        {"name: a\nboard: b\n---\nname: c\n", "a second YAML document"},
        {"name: a\nboard: b\nprocesses:\n  - name: p\n    sources: [a.c]\n    peripherals: eth0\n",
         "cmrx.yaml:6: 'processes[0].peripherals' must be a list"},
        {"name: a\nboard: b\nprocesses:\n  - name: p\n    sources: [a.c]\n    peripherals: "
         "[Eth0]\n",
         "'Eth0' is not a peripheral name"},
        {"name: a\nboard: b\nprocesses:\n  - name: p\n    sources: [a.c]\n    peripherals: "
         "[eth0, eth0]\n",
         "'processes[0].peripherals': 'eth0' is listed twice"},
        {"name: a\nboard: b\nprocesses:\n  - name: p\n    sources: [a.c]\n    peripherals: "
         "[eth0]\n  - name: q\n    sources: [b.c]\n    peripherals: [timer0, eth0]\n",
         "cmrx.yaml:7: processes 'p' (line 4) and 'q' both ask for peripheral 'eth0'"},
        {"name: a\nboard: b\nprocesses:\n  - name: p\n    sources: [a.c]\n    callers: []\n",
         "cmrx.yaml:6: 'processes[0].callers' is empty: name at least one"},
        {"name: a\nboard: b\nprocesses:\n  - name: p\n    sources: [a.c]\n    callers: fs\n",
         "cmrx.yaml:6: 'processes[0].callers' must be a list"},
        {"name: a\nboard: b\nprocesses:\n  - name: p\n    sources: [a.c]\n    callers: [my-fs]\n",
         "'processes[0].callers': 'my-fs' is not a process name (a C identifier)"},
        {"name: a\nboard: b\nprocesses:\n  - name: p\n    sources: [a.c]\n    callers: [fs, fs]\n",
         "'processes[0].callers': 'fs' is listed twice"},
        {"name: a\nboard: b\nsettings: [x]\n", "cmrx.yaml:3: 'settings' must be a mapping"},
        {"name: a\nboard: b\nsettings:\n  net: 3\n", "'settings.net' must be a mapping"},
        {"name: a\nboard: b\nsettings:\n  ../x: {a: 1}\n", "'../x' is not a package name"},
        {"name: a\nboard: b\nsettings:\n  net: {Big: 1}\n", "'Big' is not a setting name"},
        {"name: a\nboard: b\nsettings:\n  net: {a: \"1; rm\"}\n",
         "cmrx.yaml:4: 'settings.net.a' must be a number, a word"},
        {"name: a\nboard: b\nsettings:\n  net: {a: [[1]]}\n", "'settings.net.a' must be"},
        {"name: a\nboard: b\nsettings:\n  net: {a: []}\n", "'settings.net.a' must be"},
        {"name: a\nboard: b\nsettings:\n  net: {a: [x, \"1; rm\"]}\n",
         "'settings.net.a' must be a number, a word"},
        {"name: a\nboard: b\nsettings:\n  net: {a: 1, a: 2}\n", "appears twice"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct manifest m;
        struct err e = {0};
        if (manifest_parse("cmrx.yaml", cases[i].text, strlen(cases[i].text), &m, &e) == 0) {
            fail_msg("case %zu should fail:\n%s", i, cases[i].text);
        }
        if (strstr(e.msg, cases[i].expect) == NULL) {
            fail_msg("case %zu: expected '%s' in '%s'", i, cases[i].expect, e.msg);
        }
    }
}

/* Apply an edit and return the new text; *lost tells whether comments went. */
static char *edit(const char *text, enum manifest_edit_kind k, const char *name, const char *c,
                  bool *lost)
{
    struct manifest_edit ed = {k, name, c};
    char *out;
    size_t len;
    struct err e = {0};
    if (manifest_edit("cmrx.yaml", text, strlen(text), &ed, &out, &len, lost, &e) != 0) {
        fail_msg("edit failed: %s", e.msg);
    }
    assert_int_equal(strlen(out), len);
    return out;
}

static void edits_keep_comments(void **state)
{
    (void)state;
    bool lost;
    /* A new dependency goes after the last one, with the same indentation. */
    char *t = edit(full, EDIT_SET_DEP, "gpio", "^2.0", &lost);
    assert_false(lost);
    assert_non_null(strstr(t, "  queue-server: '>=1.0, <2.0'\n  gpio: ^2.0\nprocesses:"));
    assert_non_null(strstr(t, "# a comment at the top\n"));
    assert_non_null(strstr(t, "^1.2 # the console\n"));
    struct manifest m = parse_ok(t);
    assert_int_equal(m.n_deps, 3);
    manifest_free(&m);
    /* Changing a constraint keeps the comment after it; ranges get quotes. */
    char *t2 = edit(t, EDIT_SET_DEP, "uart-console", ">=1.3, <1.9", &lost);
    assert_false(lost);
    assert_non_null(strstr(t2, "  uart-console: \">=1.3, <1.9\" # the console\n"));
    /* Removing takes the whole line and nothing else. */
    char *t3 = edit(t2, EDIT_REMOVE_DEP, "queue-server", NULL, &lost);
    assert_false(lost);
    assert_null(strstr(t3, "queue-server"));
    assert_non_null(strstr(t3, "# the console\n  gpio: ^2.0\nprocesses:"));
    /* The kernel constraint is a top-level scalar. */
    char *t4 = edit(t3, EDIT_SET_KERNEL, NULL, "~0.1.4", &lost);
    assert_false(lost);
    assert_non_null(strstr(t4, "\nkernel: ~0.1.4\n"));
    m = parse_ok(t4);
    assert_string_equal(m.kernel, "~0.1.4");
    assert_int_equal(m.n_deps, 2);
    assert_string_equal(m.deps[0].constraint, ">=1.3, <1.9");
    manifest_free(&m);
    free(t);
    free(t2);
    free(t3);
    free(t4);
}

static void edits_empty_and_missing_sections(void **state)
{
    (void)state;
    bool lost;
    const char *empty = "name: a # mine\nboard: b\ndependencies:\nprocesses:\n"
                        "  - name: p # first\n    sources: [a.c]\n";
    char *t = edit(empty, EDIT_SET_DEP, "x", "^1", &lost);
    assert_false(lost);
    assert_non_null(strstr(t, "dependencies:\n  x: ^1\nprocesses:\n  - name: p # first\n"));
    free(t);
    const char *tilde = "name: a\nboard: b\ndependencies: ~ # none yet\n";
    t = edit(tilde, EDIT_SET_DEP, "x", "^1", &lost);
    assert_false(lost);
    struct manifest m = parse_ok(t);
    assert_int_equal(m.n_deps, 1);
    manifest_free(&m);
    free(t);
    const char *none = "name: a # mine\nboard: b"; /* no final newline */
    t = edit(none, EDIT_SET_DEP, "x", "*", &lost);
    assert_false(lost);
    assert_string_equal(t, "name: a # mine\nboard: b\ndependencies:\n  x: \"*\"\n");
    free(t);
    t = edit(none, EDIT_SET_KERNEL, NULL, ">=0.1", &lost);
    assert_string_equal(t, "name: a # mine\nboard: b\nkernel: \">=0.1\"\n");
    free(t);
    /* The last dependency removed leaves an empty, valid section. */
    t = edit("name: a\nboard: b\ndependencies:\n  x: ^1\n", EDIT_REMOVE_DEP, "x", NULL, &lost);
    assert_false(lost);
    assert_string_equal(t, "name: a\nboard: b\ndependencies:\n");
    free(t);
}

static void flow_style_is_re_emitted(void **state)
{
    (void)state;
    bool lost;
    const char *flow = "# gone after the edit\nname: a\nboard: b\ndependencies: {x: ^1}\n";
    char *t = edit(flow, EDIT_SET_DEP, "y", "^2", &lost);
    assert_true(lost);
    assert_null(strstr(t, "# gone"));
    struct manifest m = parse_ok(t);
    assert_int_equal(m.n_deps, 2);
    assert_string_equal(m.deps[1].name, "y");
    manifest_free(&m);
    free(t);
}

/* Git dependencies, registries and the project's defines and cflags: read,
 * emitted and read back the same; a registry appended in place. */
static void portable_keys_round_trip_and_edit(void **state)
{
    (void)state;
    static const char text[] =
        "name: p\nboard: b\n"
        "dependencies:\n"
        "  sensor: {git: https://example.com/s.git, tag: v1.0.0, subdir: comp}\n"
        "  raw: {git: /srv/raw.git, rev: 0123456789abcdef0123456789abcdef01234567}\n"
        "  lib: ^1\n"
        "registries:\n  - https://example.com/reg.git # ours\n"
        "defines: [A, B=2]\ncflags: [-O2]\n"
        "processes:\n  - name: app\n    sources: [a.c]\n    defines: ['N=\"x\"']\n"
        "    cflags: [-Wshadow]\n";
    struct manifest a = parse_ok(text);
    assert_string_equal(a.deps[0].git, "https://example.com/s.git");
    assert_string_equal(a.deps[0].tag, "v1.0.0");
    assert_string_equal(a.deps[0].subdir, "comp");
    assert_null(a.deps[0].constraint);
    assert_string_equal(a.deps[1].rev, "0123456789abcdef0123456789abcdef01234567");
    assert_string_equal(a.deps[2].constraint, "^1");
    assert_int_equal(a.n_registries, 1);
    assert_int_equal(a.n_defines, 2);
    assert_string_equal(a.cflags[0], "-O2");
    assert_string_equal(a.procs[0].defines[0], "N=\"x\"");
    char *out;
    size_t len;
    struct err e = {0};
    assert_int_equal(manifest_emit(&a, &out, &len, &e), 0);
    struct manifest b = parse_ok(out);
    assert_true(manifest_equal(&a, &b));
    manifest_free(&b);
    free(out);
    bool lost;
    char *t = edit(text, EDIT_ADD_REGISTRY, "/srv/second", NULL, &lost);
    assert_false(lost);
    assert_non_null(strstr(t, "  - https://example.com/reg.git # ours\n  - /srv/second\n"));
    b = parse_ok(t);
    assert_int_equal(b.n_registries, 2);
    manifest_free(&b);
    free(t);
    manifest_free(&a);
}

static void removing_a_missing_dependency_fails(void **state)
{
    (void)state;
    struct manifest_edit ed = {EDIT_REMOVE_DEP, "nope", NULL};
    char *out = NULL;
    size_t len;
    bool lost;
    struct err e = {0};
    assert_int_equal(manifest_edit("cmrx.yaml", full, strlen(full), &ed, &out, &len, &lost, &e),
                     -1);
    assert_non_null(strstr(e.msg, "no dependency 'nope'"));
    assert_null(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parses_every_key),
        cmocka_unit_test(round_trips_through_emit),
        cmocka_unit_test(rejects_bad_manifests),
        cmocka_unit_test(edits_keep_comments),
        cmocka_unit_test(edits_empty_and_missing_sections),
        cmocka_unit_test(flow_style_is_re_emitted),
        cmocka_unit_test(removing_a_missing_dependency_fails),
        cmocka_unit_test(portable_keys_round_trip_and_edit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
