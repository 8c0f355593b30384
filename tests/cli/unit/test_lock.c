/* cmrx.lock: round trip, and rejection of damaged or malicious locks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lock.h"
#include "text.h"

#define C40 "0123456789abcdef0123456789abcdef01234567"
#define T40 "89abcdef0123456789abcdef0123456789abcdef"

static const char good[] = "lock_format: 1\n"
                           "registry: default\n"
                           "packages:\n"
                           "- name: zeta\n"
                           "  kind: component\n"
                           "  version: 1.1.0\n"
                           "  git: https://example.com/zeta.git\n"
                           "  tag: v1.1.0\n"
                           "  commit: " C40 "\n"
                           "  checksum: " T40 "\n"
                           "- name: kernel\n"
                           "  kind: kernel\n"
                           "  version: 0.1.0\n"
                           "  git: .\n"
                           "  branch: HEAD\n"
                           "  commit: " C40 "\n"
                           "  subdir: kernel\n"
                           "  checksum: " T40 "\n";

static void round_trips(void **state)
{
    (void)state;
    struct lock l, l2;
    struct err e = {0};
    assert_int_equal(lock_parse("cmrx.lock", good, strlen(good), &l, &e), 0);
    assert_int_equal(l.n, 2);
    assert_string_equal(l.registry, "default");
    const struct lock_pkg *z = lock_find(&l, "zeta");
    assert_non_null(z);
    assert_int_equal(z->kind, KIND_COMPONENT);
    assert_string_equal(z->tag, "v1.1.0");
    assert_null(z->subdir);
    assert_int_equal(z->line, 4);
    char *text;
    size_t len;
    assert_int_equal(lock_emit(&l, &text, &len, &e), 0);
    /* Sorted by name, with the header comment. */
    assert_true(strncmp(text, "# cmrx.lock", 11) == 0);
    assert_true(strstr(text, "name: kernel") < strstr(text, "name: zeta"));
    assert_int_equal(lock_parse("cmrx.lock", text, len, &l2, &e), 0);
    assert_int_equal(l2.n, 2);
    for (size_t i = 0; i < l.n; i++) {
        assert_true(lock_pkg_equal(&l.pkgs[i], lock_find(&l2, l.pkgs[i].name)));
    }
    free(text);
    lock_free(&l);
    lock_free(&l2);
}

static void rejects_damage(void **state)
{
    (void)state;
    static const struct {
        const char *from, *to, *expect;
    } cases[] = {
        {"name: zeta", "name: ../zeta", "cmrx.lock:4: package name '../zeta' is not valid"},
        {"name: zeta", "name: /etc", "package name '/etc' is not valid"},
        {"subdir: kernel", "subdir: /etc", "cmrx.lock:11: package 'kernel': 'subdir' is '/etc'"},
        {"subdir: kernel", "subdir: kernel/../..", "it must be a relative path inside"},
        {"commit: " C40 "\n  checksum", "commit: abc\n  checksum",
         "'commit' must be a 40-digit hex id"},
        {"version: 1.1.0", "version: 1.1", "cmrx.lock:4: package 'zeta': version:"},
        {"kind: component", "kind: plugin", "'packages[0].kind' must be kernel"},
        {"lock_format: 1", "lock_format: 2", "lock format 2 is not supported"},
        {"registry: default\n", "", "missing key 'registry'"},
        {"  tag: v1.1.0\n", "  tag: v1.1.0\n  branch: main\n", "give 'tag' or 'branch', not both"},
        {"- name: kernel", "- name: zeta", "package 'zeta' is locked twice"},
        {"  git: .\n", "  git: .\n  extra: 1\n", "unknown key 'packages[1].extra'"},
        {"packages:\n", "packages:\n  - [\n", "cmrx.lock:5:1: invalid YAML"},
        {"git: .\n", "git: ../elsewhere\n",
         "cmrx.lock:11: package 'kernel': 'git' is '../elsewhere'"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *text = text_replace(good, cases[i].from, cases[i].to);
        struct lock l;
        struct err e = {0};
        if (lock_parse("cmrx.lock", text, strlen(text), &l, &e) == 0) {
            fail_msg("case %zu should fail", i);
        }
        if (strstr(e.msg, cases[i].expect) == NULL) {
            fail_msg("case %zu: expected '%s' in '%s'", i, cases[i].expect, e.msg);
        }
        assert_true(e.hint[0] != '\0');
        free(text);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(round_trips),
        cmocka_unit_test(rejects_damage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
