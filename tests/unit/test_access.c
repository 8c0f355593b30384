/* Pointer validation for system call arguments. */
#include "fixture.h"

static void own_memory_is_accessible(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *t = fx_spawn(FX_ALPHA, 10); /* slot 0 */
    assert_true(access_ok(t, fx_alpha_ram, 128, true));
    assert_true(access_ok(t, fx_alpha_ram + 100, 28, true));
    assert_true(access_ok(t, fx_alpha_shared, 64, true));
    assert_true(access_ok(t, fx_alpha_stacks[0], FX_STACK, true));
    assert_true(access_ok(t, fx_flash, 1024, false));
}

/* Results the kernel stores: writable and word-aligned only. */
static void results_are_aligned(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *t = fx_spawn(FX_ALPHA, 10);
    assert_true(access_out_ok(t, fx_alpha_ram + 4, 28));
    assert_false(access_out_ok(t, fx_alpha_ram + 1, 28)); /* writable, misaligned */
    assert_false(access_out_ok(t, fx_alpha_ram + 2, 4));
    assert_false(access_out_ok(t, fx_flash, 4));     /* aligned, read-only */
    assert_false(access_out_ok(t, fx_beta_ram, 4));  /* aligned, not its own */
}

static void everything_else_is_not(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *t = fx_spawn(FX_ALPHA, 10);      /* slot 0, stack 0 */
    assert_false(access_ok(t, fx_alpha_ram, 129, true)); /* runs off the end */
    assert_false(access_ok(t, fx_alpha_ram + 127, 2, false));
    assert_false(access_ok(t, fx_alpha_stacks[1], 4, true)); /* sibling's stack */
    assert_false(access_ok(t, fx_beta_ram, 4, false));       /* other process */
    assert_false(access_ok(t, cmrx_threads, 4, false));      /* kernel memory */
    assert_false(access_ok(t, fx_flash, 4, true));           /* flash is read-only */
    assert_false(access_ok(t, fx_flash + 1020, 8, false));
    assert_false(access_ok(t, (void *)(uintptr_t)-4, 8, false)); /* wraps */
    assert_false(access_ok(t, NULL, 4, false));
    assert_true(access_ok(t, NULL, 0, false)); /* nothing is touched */
}

static void empty_regions_admit_nothing(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *t = fx_spawn(FX_BETA, 10);
    /* beta has no .shared (NULL..NULL) and empty .data. */
    assert_false(access_ok(t, NULL, 1, false));
    assert_true(access_ok(t, fx_beta_ram, 64, true));
}

static void code_pointers(void **state)
{
    (void)state;
    assert_true(access_code_ok(fx_flash + 16));
    assert_false(access_code_ok(fx_alpha_ram));
    assert_false(access_code_ok(fx_flash + 1024));
    assert_false(access_code_ok(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(own_memory_is_accessible),
        cmocka_unit_test(everything_else_is_not),
        cmocka_unit_test(results_are_aligned),
        cmocka_unit_test(empty_regions_admit_nothing),
        cmocka_unit_test(code_pointers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
