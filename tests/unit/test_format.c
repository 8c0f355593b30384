/* The formatter shared by the kernel console and cmrx_printf(). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <cmrx/format.h>

static void check(const char *expect, const char *fmt, ...)
{
    char buf[128];
    va_list ap;
    va_start(ap, fmt);
    int n = cmrx_vformat_buf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    assert_string_equal(buf, expect);
    assert_int_equal(n, (int)strlen(expect));
}

static void conversions(void **state)
{
    (void)state;
    check("plain", "plain");
    check("42 -7 0", "%d %i %d", 42, -7, 0);
    check("4294967295", "%u", 0xFFFFFFFFu);
    check("ff FF", "%x %X", 255u, 255u);
    check("0x1000", "%p", (void *)0x1000);
    check("str (null) c %", "%s %s %c %%", "str", (char *)NULL, 'c');
    check("-2147483648", "%ld", (long)-2147483647L - 1);
}

static void widths_and_flags(void **state)
{
    (void)state;
    check("   42", "%5d", 42);
    check("00042", "%05d", 42);
    check("-0042", "%05d", -42);
    check("42   |", "%-5d|", 42);
    check("0x0000abcd", "0x%08x", 0xabcdu);
    check("  ab", "%*s", 4, "ab");
}

static void truncation_reports_full_length(void **state)
{
    (void)state;
    char buf[6];
    int n = cmrx_format(buf, sizeof(buf), "%s", "hello world");
    assert_int_equal(n, 11);
    assert_string_equal(buf, "hello");
}

static void unknown_conversion_is_printed(void **state)
{
    (void)state;
    check("%q", "%q");
    check("50%", "50%");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(conversions),
        cmocka_unit_test(widths_and_flags),
        cmocka_unit_test(truncation_reports_full_length),
        cmocka_unit_test(unknown_conversion_is_printed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
