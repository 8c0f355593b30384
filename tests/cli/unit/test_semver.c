/* Semantic versions: parsing, precedence, constraints of every form. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "semver.h"

static struct semver V(const char *s) {
    struct semver v;
    struct err e = {0};
    if (semver_parse(s, &v, &e) != 0) {
        fail_msg("'%s' should parse: %s", s, e.msg);
    }
    return v;
}

static bool
M(const char *constraint, const char *version)
{
    struct constraint c;
    struct err e = {0};
    if (constraint_parse(constraint, &c, &e) != 0) {
        fail_msg("'%s' should parse: %s", constraint, e.msg);
    }
    struct semver v = V(version);
    return constraint_match(&c, &v);
}

static void parses_full_versions(void **state)
{
    (void)state;
    struct semver v = V("1.22.333-rc.1+build.5");
    assert_int_equal(v.major, 1);
    assert_int_equal(v.minor, 22);
    assert_int_equal(v.patch, 333);
    assert_string_equal(v.pre, "rc.1");
    assert_string_equal(v.build, "build.5");
    char buf[64];
    semver_format(&v, buf, sizeof(buf));
    assert_string_equal(buf, "1.22.333-rc.1+build.5");
}

static void rejects_bad_versions(void **state)
{
    (void)state;
    static const char *const bad[] = {"",       "1",      "1.2",      "v1.2.3",  "01.2.3",
                                      "1.2.3-", "1.2.3+", "1.2.3-01", "1.2.3.4", "1.x.3",
                                      "a.b.c",  "1.2.3 ", "-1.2.3",   "1..3",    "1.2.3-a..b"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct semver v;
        struct err e = {0};
        if (semver_parse(bad[i], &v, &e) == 0) {
            fail_msg("'%s' should be rejected", bad[i]);
        }
        assert_true(e.msg[0] != '\0');
    }
}

static void orders_by_precedence(void **state)
{
    (void)state;
    /* The example chain of semver.org 2.0.0, section 11, and more. */
    static const char *const chain[] = {"1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta",
                                        "1.0.0-beta",  "1.0.0-beta.2",  "1.0.0-beta.11",
                                        "1.0.0-rc.1",  "1.0.0",         "1.0.1",
                                        "1.1.0",       "1.10.0",        "2.0.0",
                                        "10.0.0"};
    size_t n = sizeof(chain) / sizeof(chain[0]);
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < n; j++) {
            struct semver a = V(chain[i]), b = V(chain[j]);
            int c = semver_compare(&a, &b);
            if ((i < j && c >= 0) || (i == j && c != 0) || (i > j && c <= 0)) {
                fail_msg("%s vs %s compared %d", chain[i], chain[j], c);
            }
        }
    }
    struct semver a = V("1.0.0+a"), b = V("1.0.0+b");
    assert_int_equal(semver_compare(&a, &b), 0);
}

static void caret(void **state)
{
    (void)state;
    assert_true(M("^1.2.3", "1.2.3"));
    assert_true(M("^1.2.3", "1.9.0"));
    assert_false(M("^1.2.3", "1.2.2"));
    assert_false(M("^1.2.3", "2.0.0"));
    assert_true(M("^1", "1.0.0"));
    assert_true(M("^1", "1.99.99"));
    assert_false(M("^1", "0.9.9"));
    assert_true(M("^0.2.3", "0.2.9"));
    assert_false(M("^0.2.3", "0.3.0"));
    assert_true(M("^0.0.3", "0.0.3"));
    assert_false(M("^0.0.3", "0.0.4"));
    assert_true(M("^0.1", "0.1.7"));
    assert_false(M("^0.1", "0.2.0"));
    assert_true(M("^0", "0.9.0"));
    assert_false(M("^0", "1.0.0"));
}

static void tilde(void **state)
{
    (void)state;
    assert_true(M("~1.2.3", "1.2.9"));
    assert_false(M("~1.2.3", "1.3.0"));
    assert_false(M("~1.2.3", "1.2.2"));
    assert_true(M("~1.2", "1.2.0"));
    assert_false(M("~1.2", "1.3.0"));
    assert_true(M("~1", "1.9.0"));
    assert_false(M("~1", "2.0.0"));
}

static void comparisons_and_exact(void **state)
{
    (void)state;
    assert_true(M("1.2.3", "1.2.3"));
    assert_false(M("1.2.3", "1.2.4"));
    assert_true(M("=1.2.3", "1.2.3"));
    assert_true(M(">=1.2", "1.2.0"));
    assert_false(M(">=1.2", "1.1.9"));
    assert_true(M(">1.2.3", "1.2.4"));
    assert_false(M(">1.2.3", "1.2.3"));
    assert_true(M(">1.2", "1.3.0"));
    assert_false(M(">1.2", "1.2.9")); /* above all of 1.2.x */
    assert_true(M("<2", "1.99.0"));
    assert_false(M("<2", "2.0.0"));
    assert_true(M("<=1.4", "1.4.9"));
    assert_false(M("<=1.4", "1.5.0"));
    assert_true(M("<=1.4.2", "1.4.2"));
    assert_false(M("<=1.4.2", "1.4.3"));
    assert_true(M("1.2", "1.2.7"));
    assert_false(M("1.2", "1.3.0"));
    assert_true(M("1.x", "1.7.0"));
    assert_true(M("1.2.*", "1.2.5"));
    assert_true(M("*", "0.0.1"));
    assert_true(M("*", "99.0.0"));
}

static void ranges(void **state)
{
    (void)state;
    assert_true(M(">=1.2, <2.0", "1.5.0"));
    assert_false(M(">=1.2, <2.0", "2.0.0"));
    assert_false(M(">=1.2, <2.0", "1.1.0"));
    assert_true(M(">=1.2 <2.0", "1.2.0"));
    assert_true(M(">= 1.2, < 2.0", "1.9.9"));
    assert_false(M(">= 1.2, < 2.0", "2.1.0"));
    assert_true(M("1.2 - 1.4", "1.4.8"));
    assert_false(M("1.2 - 1.4", "1.5.0"));
    assert_false(M("1.2 - 1.4", "1.1.9"));
    assert_true(M("^1 || ^3", "3.1.0"));
    assert_false(M("^1 || ^3", "2.1.0"));
    /* A range is one comparison among others: the ones after it (and
     * before it) hold too. */
    assert_false(M("1.0.0 - 2.0.0, <1.5", "1.8.0"));
    assert_true(M("1.0.0 - 2.0.0, <1.5", "1.4.0"));
    assert_false(M("<1.5 1.0.0 - 2.0.0", "1.8.0"));
    assert_false(M(">=1.2 1.0 - 2.0", "1.1.0"));
    assert_true(M("1.0 - 2.0 || 3.0 - 4.0", "3.5.0"));
}

static void pre_releases_need_to_be_named(void **state)
{
    (void)state;
    assert_false(M("^1.0", "2.0.0-beta.1"));
    assert_false(M("^1.0", "1.5.0-rc.1"));
    assert_false(M("*", "1.0.0-rc.1"));
    assert_true(M("^1.5.0-rc.1", "1.5.0-rc.2"));
    assert_true(M("^1.5.0-rc.1", "1.5.0"));
    assert_false(M("^1.5.0-rc.1", "1.6.0-rc.1"));
    assert_true(M("1.0.0-rc.1", "1.0.0-rc.1"));
    /* An upper bound written as a partial version lies below its
     * pre-releases (node-semver and Cargo agree); a full one does not. */
    assert_false(M(">1.0.0-alpha, <1.0", "1.0.0-beta"));
    assert_true(M(">1.0.0-alpha, <1.0.0", "1.0.0-beta"));
    assert_false(M(">=1.1.0-alpha, <=1.0", "1.1.0-beta"));
    assert_false(M(">=2.0.0-alpha, ^1.2", "2.0.0-beta"));
}

static void rejects_bad_constraints(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "", "   ", "^", ">=", "^1.x.3", "1.2.3.4", "abc", ">=1.0,", "^1 ||", "~v1", "1.2.3-",
        "=>1.0", "1.0 - ", "~>1.0", "^x", ">*", "1.0\t", "1.0 -", "- 1.0", ">=1.0 - 2.0",
        /* the limits docs/project-files.md gives */
        "1 || 2 || 3 || 4 || 5", ">1 >1 >1 >1 >1 >1 >1 >1 >1", "2147483648.0.0"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct constraint c;
        struct err e = {0};
        if (constraint_parse(bad[i], &c, &e) == 0) {
            fail_msg("'%s' should be rejected", bad[i]);
        }
        assert_true(e.msg[0] != '\0');
    }
}

/* The limits docs/project-files.md gives, just within and just beyond. */
static void limits(void **state)
{
    (void)state;
    char text[160];
    struct constraint c;
    struct err e = {0};
    assert_true(M("1 || 2 || 3 || 4", "4.0.0"));
    assert_true(M(">1 >1 >1 >1 >1 >1 >1 >1", "2.0.0")); /* 8 comparisons */
    assert_true(M("2147483647.0.0", "2147483647.0.0"));
    memset(text, ' ', sizeof(text));
    memcpy(text, "1.0.0", 5);
    text[127] = '\0'; /* 127 characters, trailing blanks included */
    assert_int_equal(constraint_parse(text, &c, &e), 0);
    memset(text, '1', 128);
    text[128] = '\0';
    assert_int_equal(constraint_parse(text, &c, &e), -1);
    assert_non_null(strstr(e.msg, "too long"));
    assert_int_equal(constraint_parse("1 || 2 || 3 || 4 || 5", &c, &e), -1);
    assert_non_null(strstr(e.msg, "more than 4 alternatives"));
    assert_int_equal(constraint_parse(">1 >1 >1 >1 >1 >1 >1 >1 >1", &c, &e), -1);
    assert_non_null(strstr(e.msg, "more than 8 comparisons"));
}

static void keeps_the_text(void **state)
{
    (void)state;
    struct constraint c;
    struct err e = {0};
    assert_int_equal(constraint_parse("  >=1.0, <2.0 ", &c, &e), 0);
    assert_string_equal(c.text, ">=1.0, <2.0");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parses_full_versions),
        cmocka_unit_test(rejects_bad_versions),
        cmocka_unit_test(orders_by_precedence),
        cmocka_unit_test(caret),
        cmocka_unit_test(tilde),
        cmocka_unit_test(comparisons_and_exact),
        cmocka_unit_test(ranges),
        cmocka_unit_test(pre_releases_need_to_be_named),
        cmocka_unit_test(rejects_bad_constraints),
        cmocka_unit_test(limits),
        cmocka_unit_test(keeps_the_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
