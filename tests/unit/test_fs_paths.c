/* The fs process's paths (components/fs/src/paths.c): the canonical form
 * it hands littlefs, a directory renamed into itself, who may name a
 * path in a kept directory, and who may format. Process names come from
 * the host stand-in of the userspace API (cmrx/host.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <cmrx/cmrx.h>
#include <cmrx/host.h>

#include "paths.h"

static const char *const names[] = {"judge", "logger", "thief", "cfg", NULL};
enum { JUDGE, LOGGER, THIEF, CFG };

static const char *canon(const char *in)
{
    static char buf[64];
    strcpy(buf, in);
    fs_path_canonical(buf);
    return buf;
}

static void canonical_form(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"/", "/"},
        {"//", "/"},
        {".", "/"},
        {"..", "/"},
        {"/../..", "/"},
        {"a", "a"},
        {"/a", "a"},
        {"a/", "a"},
        {"//a//b//", "a/b"},
        {"/./a/./b/.", "a/b"},
        {"a/..", "/"},
        {"a/../b", "b"},
        {"/x/../vault/secret", "vault/secret"},
        {"../vault/secret", "vault/secret"},
        {"/..//vault/secret", "vault/secret"},
        {"/x/./../vault/secret", "vault/secret"}, /* littlefs alone: x/vault/secret */
        {"a/b/../../c", "c"},
        {"a/b/../c/./d/..", "a/c"},
        {"a/.../b", "a/.../b"}, /* "..." is a name */
        {"a/..b/.c", "a/..b/.c"},
        {"vault/../vaultx/y", "vaultx/y"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_string_equal(canon(cases[i][0]), cases[i][1]);
    }
}

static void renamed_into_itself(void **state)
{
    (void)state;
    assert_true(fs_path_inside("d", "d/e"));
    assert_true(fs_path_inside("a/d", "a/d/e/f"));
    assert_false(fs_path_inside("d", "d"));
    assert_false(fs_path_inside("d", "de"));
    assert_false(fs_path_inside("d", "e/d"));
    assert_false(fs_path_inside("/", "d"));
}

static void kept_directories(void **state)
{
    (void)state;
    const char *owners = "/vault:logger,/cfg:cfg";
    /* The directory itself and everything in it: its owner alone. */
    static const char *const kept[] = {"vault", "vault/secret", "vault/a/b", "cfg", "cfg/x"};
    for (size_t i = 0; i < sizeof(kept) / sizeof(kept[0]); i++) {
        unsigned owner = kept[i][0] == 'v' ? LOGGER : CFG;
        assert_int_equal(fs_path_check(owners, kept[i], owner), CMRX_OK);
        assert_int_equal(fs_path_check(owners, kept[i], THIEF), CMRX_EPERM);
        assert_int_equal(fs_path_check(owners, kept[i], JUDGE), CMRX_EPERM);
        assert_int_equal(fs_path_check(owners, kept[i], LOGGER + CFG - owner), CMRX_EPERM);
    }
    /* Free space, and names that only start alike or hold the kept name lower down. */
    static const char *const free_[] = {"/", "vaultx", "vaul", "vaultx/y", "x/vault", "cf", "cfgs"};
    for (size_t i = 0; i < sizeof(free_) / sizeof(free_[0]); i++) {
        assert_int_equal(fs_path_check(owners, free_[i], THIEF), CMRX_OK);
    }
    /* Every spelling of a kept path, once canonical, is kept. */
    assert_int_equal(fs_path_check(owners, canon("/x/./../vault//secret/"), THIEF), CMRX_EPERM);
    assert_int_equal(fs_path_check(owners, canon("../cfg/."), THIEF), CMRX_EPERM);
    /* Nothing kept, and a list that cannot be read: nothing given away. */
    assert_int_equal(fs_path_check("", "vault/secret", THIEF), CMRX_OK);
    assert_int_equal(fs_path_check("/vault", "vault/secret", THIEF), CMRX_EPERM);
    assert_int_equal(fs_path_check("/vault:logger,oops", "x", THIEF), CMRX_EPERM);
    /* A name no process has (the build refuses it): kept for nobody. */
    assert_int_equal(fs_path_check("/vault:nobody", "vault", LOGGER), CMRX_EPERM);
}

static void who_formats(void **state)
{
    (void)state;
    static const char *const none[] = {NULL};
    static const char *const judge[] = {"judge", NULL};
    static const char *const two[] = {"cfg", "judge", NULL};
    assert_int_equal(1, cmrx_names_allow(none, THIEF));
    assert_int_equal(1, cmrx_names_allow(judge, JUDGE));
    assert_int_equal(0, cmrx_names_allow(judge, THIEF));
    assert_int_equal(0, cmrx_names_allow(judge, LOGGER));
    assert_int_equal(1, cmrx_names_allow(two, JUDGE));
    assert_int_equal(1, cmrx_names_allow(two, CFG));
    assert_int_equal(0, cmrx_names_allow(two, 9));
}

/* The names library's other reader of process names: what ended a
 * process, as the supervisor's log and the net template's page say it. */
static void cause_text(void **state)
{
    (void)state;
    char buf[8];
    assert_int_equal(cmrx_process_cause_text(CMRX_CAUSE_FAULT, buf, sizeof(buf)), 7);
    assert_string_equal(buf, "a fault");
    assert_int_equal(cmrx_process_cause_text(CMRX_CAUSE_UPDATE, buf, sizeof(buf)), 9);
    assert_string_equal(buf, "an upda"); /* cut, as cmrx_process_name() cuts */
    assert_int_equal(cmrx_process_cause_text(CMRX_CAUSE_ASKED + LOGGER, buf, sizeof(buf)), 6);
    assert_string_equal(buf, "logger");
    assert_int_equal(cmrx_process_cause_text(CMRX_CAUSE_NONE, buf, sizeof(buf)), CMRX_ESRCH);
    assert_int_equal(cmrx_process_cause_text(CMRX_CAUSE_ASKED + 9, buf, sizeof(buf)), CMRX_EINVAL);
    assert_int_equal(cmrx_process_cause_text(3, buf, sizeof(buf)), CMRX_EINVAL);
    assert_int_equal(cmrx_process_cause_text(CMRX_CAUSE_FAULT, buf, 0), CMRX_EINVAL);
}

int main(void)
{
    cmrx_host_process_names = names;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(canonical_form),   cmocka_unit_test(renamed_into_itself),
        cmocka_unit_test(kept_directories), cmocka_unit_test(who_formats),
        cmocka_unit_test(cause_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
