/* Thread life cycle, join semantics and argument errors. */
#include "fixture.h"

#include <string.h>

static void create_runs_higher_priority_at_once(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *main = fx_spawn(FX_ALPHA, 10);
    fx_run(main);
    int tid = sys_thread_create(fx_entry(), (void *)7, 5);
    assert_true(tid >= 0);
    struct cmrx_thread *t = thread_lookup(tid);
    assert_non_null(t);
    assert_ptr_equal(t->process, &cmrx_processes[FX_ALPHA]);
    assert_int_equal(t->ctx.call_args[0], 7);
    assert_int_equal(t->ctx.pc, (uintptr_t)fx_entry());
    assert_ptr_equal(fx_switch(), t);
}

static void create_lower_priority_does_not_preempt(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *main = fx_spawn(FX_ALPHA, 10);
    fx_run(main);
    int tid = sys_thread_create(fx_entry(), NULL, 20);
    assert_true(tid >= 0);
    assert_ptr_equal(fx_switch(), main);
}

static void threads_get_their_process_slot_and_stack(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *a0 = fx_spawn(FX_ALPHA, 10);
    struct cmrx_thread *a1 = fx_spawn(FX_ALPHA, 10);
    struct cmrx_thread *b0 = fx_spawn(FX_BETA, 10);
    assert_ptr_equal(a0, &cmrx_threads[0]);
    assert_ptr_equal(a1, &cmrx_threads[1]);
    assert_ptr_equal(b0, &cmrx_threads[3]);
    uint32_t size;
    assert_ptr_equal(thread_stack(a1, &size), fx_alpha_stacks[1]);
    assert_int_equal(size, FX_STACK);
    assert_ptr_equal(thread_stack(b0, &size), fx_beta_stacks[0]);
    /* The initial frame sits at the top of the thread's own stack. */
    assert_int_equal(a1->ctx.sp, (uintptr_t)(fx_alpha_stacks[1] + FX_STACK) - 32u);
}

static void exhausting_process_slots_gives_eagain(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *main = fx_spawn(FX_BETA, 10);
    fx_run(main);
    assert_true(sys_thread_create(fx_entry(), NULL, 10) >= 0);
    assert_int_equal(sys_thread_create(fx_entry(), NULL, 10), CMRX_EAGAIN);
    /* The other process's slots are untouched by beta's exhaustion. */
    struct cmrx_thread *a = fx_spawn(FX_ALPHA, 10);
    assert_ptr_equal(a, &cmrx_threads[0]);
}

static void create_rejects_bad_priority_and_entry(void **state)
{
    (void)state;
    fx_boot();
    fx_run(fx_spawn(FX_ALPHA, 10));
    assert_int_equal(sys_thread_create(fx_entry(), NULL, 31), CMRX_EINVAL);
    assert_int_equal(sys_thread_create(fx_entry(), NULL, 1000), CMRX_EINVAL);
    assert_int_equal(sys_thread_create(NULL, NULL, 5), CMRX_EINVAL);
    /* An entry in RAM is not code. */
    assert_int_equal(sys_thread_create((cmrx_thread_entry_t)(uintptr_t)fx_alpha_ram, NULL, 5),
                     CMRX_EINVAL);
}

static void exit_then_join_reaps_zombie(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *main = fx_spawn(FX_ALPHA, 10);
    struct cmrx_thread *w = fx_spawn(FX_ALPHA, 10);
    int wid = thread_id(w);
    fx_run(w);
    fx_exit(w, 33);
    assert_int_equal(w->state, CMRX_T_ZOMBIE);
    assert_ptr_equal(fx_switch(), main);
    int *code = (int *)(void *)(fx_alpha_ram + 64);
    *code = 0;
    assert_int_equal(sys_thread_join(wid, code), CMRX_OK);
    assert_int_equal(*code, 33);
    assert_int_equal(w->state, CMRX_T_FREE);
    /* The id is dead now, even when the slot is reused. */
    assert_int_equal(sys_thread_join(wid, NULL), CMRX_ESRCH);
    struct cmrx_thread *again = fx_spawn(FX_ALPHA, 10);
    assert_ptr_equal(again, w);
    assert_int_not_equal(thread_id(again), wid);
    assert_null(thread_lookup(wid));
}

static void join_blocks_until_exit(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *main = fx_spawn(FX_ALPHA, 10);
    struct cmrx_thread *w = fx_spawn(FX_ALPHA, 12);
    int *code = (int *)(void *)(fx_alpha_ram + 68);
    fx_run(main);
    assert_int_equal(sys_thread_join(thread_id(w), code), CMRX_OK);
    assert_int_equal(main->state, CMRX_T_JOINING);
    assert_ptr_equal(fx_switch(), w);
    fx_exit(w, -5);
    assert_int_equal(w->state, CMRX_T_FREE); /* handed straight to the joiner */
    assert_int_equal(main->state, CMRX_T_READY);
    assert_int_equal(main->ctx.retval, CMRX_OK);
    assert_int_equal(*code, -5);
    assert_ptr_equal(fx_switch(), main);
}

static void join_errors(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *a = fx_spawn(FX_ALPHA, 10);
    struct cmrx_thread *b = fx_spawn(FX_ALPHA, 10);
    struct cmrx_thread *c = fx_spawn(FX_ALPHA, 10);
    struct cmrx_thread *other = fx_spawn(FX_BETA, 10);
    fx_run(a);
    assert_int_equal(sys_thread_join(thread_id(a), NULL), CMRX_EDEADLK);
    assert_int_equal(sys_thread_join(-1, NULL), CMRX_ESRCH);
    assert_int_equal(sys_thread_join(0x7FFF, NULL), CMRX_ESRCH);
    assert_int_equal(sys_thread_join(thread_id(other), NULL), CMRX_ESRCH);
    /* A pointer outside the caller's memory. */
    assert_int_equal(sys_thread_join(thread_id(b), (int *)(void *)fx_beta_ram), CMRX_EFAULT);
    assert_int_equal(sys_thread_join(thread_id(b), (int *)(void *)fx_flash), CMRX_EFAULT);
    /* a joins b; then b joining a would close a cycle. */
    assert_int_equal(sys_thread_join(thread_id(b), NULL), CMRX_OK);
    fx_run(b);
    assert_int_equal(sys_thread_join(thread_id(a), NULL), CMRX_EDEADLK);
    /* c joining b as well: b already has a joiner. */
    fx_run(c);
    assert_int_equal(sys_thread_join(thread_id(b), NULL), CMRX_EBUSY);
    /* longer cycle: c joins a (a waits for b), then b joining c loops. */
    assert_int_equal(sys_thread_join(thread_id(a), NULL), CMRX_OK);
    fx_run(b);
    assert_int_equal(sys_thread_join(thread_id(c), NULL), CMRX_EDEADLK);
}

static void set_priority_reorders_and_validates(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *main = fx_spawn(FX_ALPHA, 10);
    struct cmrx_thread *w = fx_spawn(FX_ALPHA, 20);
    struct cmrx_thread *other = fx_spawn(FX_BETA, 20);
    fx_run(main);
    assert_int_equal(sys_thread_set_priority(thread_id(w), 31), CMRX_EINVAL);
    assert_int_equal(sys_thread_set_priority(thread_id(other), 1), CMRX_ESRCH);
    assert_int_equal(sys_thread_set_priority(0x1234, 1), CMRX_ESRCH);
    assert_int_equal(sys_thread_get_priority(thread_id(w)), 20);
    assert_int_equal(sys_thread_set_priority(thread_id(w), 2), CMRX_OK);
    assert_int_equal(sys_thread_get_priority(thread_id(w)), 2);
    assert_ptr_equal(fx_switch(), w);
    /* Lowering one's own priority below a ready thread gives way. */
    assert_int_equal(sys_thread_set_priority(thread_id(w), 15), CMRX_OK);
    assert_ptr_equal(fx_switch(), main);
}

static void fault_kills_only_the_current_thread(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *main = fx_spawn(FX_ALPHA, 10);
    struct cmrx_thread *victim = fx_spawn(FX_BETA, 5);
    int *code = (int *)(void *)(fx_alpha_ram + 72);
    fx_run(main);
    /* beta's thread is of another process: alpha cannot join it. Use a
     * sibling in alpha instead. */
    struct cmrx_thread *sib = fx_spawn(FX_ALPHA, 5);
    assert_int_equal(sys_thread_join(thread_id(sib), code), CMRX_OK);
    fx_run(sib);
    struct cmrx_fault f = {.kind = "MemManage",
                           .cause = "data access violation (DACCVIOL)",
                           .pc = 0x1234,
                           .addr = 0x20000000,
                           .pc_valid = true,
                           .addr_valid = true};
    cmrx_fault_current(&f);
    assert_int_equal(sib->state, CMRX_T_FREE);
    assert_int_equal(*code, CMRX_EKILLED);
    assert_int_equal(main->state, CMRX_T_READY);
    assert_int_equal(victim->state, CMRX_T_READY);
    assert_non_null(strstr(fx_log(), "FAULT process=alpha"));
    assert_non_null(strstr(fx_log(), "pc=0x00001234 addr=0x20000000"));
    assert_non_null(strstr(fx_log(), "DACCVIOL"));
    assert_ptr_equal(fx_switch(), victim);
}

static void shutdown_needs_system_process(void **state)
{
    (void)state;
    fx_boot();
    fx_run(fx_spawn(FX_BETA, 10));
    assert_int_equal(sys_shutdown(3), CMRX_EPERM);
    fx_run(fx_spawn(FX_ALPHA, 10));
    fx_shutdown_armed = 1;
    if (setjmp(fx_shutdown_jmp) == 0) {
        sys_shutdown(3);
        fail_msg("shutdown returned");
    }
    assert_int_equal(fx_shutdown_code, 3);
}

static void process_start_initialises_memory(void **state)
{
    (void)state;
    memset(fx_alpha_ram, 0x55, sizeof(fx_alpha_ram));
    fx_boot();
    assert_int_equal(fx_alpha_ram[0], 0xAA); /* .data from its load image */
    assert_int_equal(fx_alpha_ram[1], 0);
    assert_int_equal(fx_alpha_ram[64], 0); /* .bss zeroed */
    assert_int_equal(fx_alpha_ram[127], 0);
    assert_int_equal(fx_alpha_shared[0], 0xAA);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(create_runs_higher_priority_at_once),
        cmocka_unit_test(create_lower_priority_does_not_preempt),
        cmocka_unit_test(threads_get_their_process_slot_and_stack),
        cmocka_unit_test(exhausting_process_slots_gives_eagain),
        cmocka_unit_test(create_rejects_bad_priority_and_entry),
        cmocka_unit_test(exit_then_join_reaps_zombie),
        cmocka_unit_test(join_blocks_until_exit),
        cmocka_unit_test(join_errors),
        cmocka_unit_test(set_priority_reorders_and_validates),
        cmocka_unit_test(fault_kills_only_the_current_thread),
        cmocka_unit_test(shutdown_needs_system_process),
        cmocka_unit_test(process_start_initialises_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
