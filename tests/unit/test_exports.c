/* The SDK's check that a new version of an updatable process defines the
 * firmware's CMRX_SERVICE objects (exports.c): by name, offset and size;
 * each object that moved, vanished or was added is named. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "exports.h"

static const struct export_obj v1[] = {{"svc_service", 0, 8}, {"svc_stats", 8, 16}};

static void same_objects_pass(void **state)
{
    (void)state;
    struct err e = {0};
    const struct export_obj again[] = {{"svc_stats", 8, 16}, {"svc_service", 0, 8}};
    assert_int_equal(exports_compare("svc", v1, 2, again, 2, &e), 0);
    assert_int_equal(exports_compare("svc", NULL, 0, NULL, 0, &e), 0);
}

static void expect(const struct export_obj *now, size_t n, const char *want)
{
    struct err e = {0};
    assert_int_equal(exports_compare("svc", v1, 2, now, n, &e), -1);
    if (strstr(e.msg, want) == NULL) {
        fail_msg("expected '%s' in '%s'", want, e.msg);
    }
    assert_non_null(strstr(e.msg, "process svc: this version's CMRX_SERVICE objects are not"));
    assert_non_null(strstr(e.hint, "docs/updating.md"));
}

static void each_difference_is_named(void **state)
{
    (void)state;
    const struct export_obj moved[] = {
        {"svc_extra", 0, 8}, {"svc_service", 8, 8}, {"svc_stats", 16, 16}};
    expect(moved, 3, "svc_service moved or changed size (offset 8, 8 bytes; it was at 0, 8 bytes)");
    expect(moved, 3, "svc_extra was added (offset 0, 8 bytes)");
    const struct export_obj grown[] = {{"svc_service", 0, 8}, {"svc_stats", 8, 24}};
    expect(grown, 2, "svc_stats moved or changed size (offset 8, 24 bytes; it was at 8, 16 bytes)");
    const struct export_obj renamed[] = {{"svc_service", 0, 8}, {"svc_counts", 8, 16}};
    expect(renamed, 2, "svc_stats vanished (it was at offset 8, 16 bytes); svc_counts was added");
    expect(NULL, 0, "svc_service vanished (it was at offset 0, 8 bytes); svc_stats vanished");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(same_objects_pass),
        cmocka_unit_test(each_difference_is_named),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
