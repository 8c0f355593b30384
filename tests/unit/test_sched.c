/* Scheduler: O(1) selection by priority, round-robin within a priority. */
#include "fixture.h"

static void picks_highest_priority(void **state)
{
    (void)state;
    fx_boot();
    assert_ptr_equal(sched_pick(), fx_idle());
    struct cmrx_thread *low = fx_spawn(FX_ALPHA, 20);
    assert_ptr_equal(sched_pick(), low);
    struct cmrx_thread *high = fx_spawn(FX_BETA, 3);
    assert_ptr_equal(sched_pick(), high);
    struct cmrx_thread *mid = fx_spawn(FX_ALPHA, 10);
    assert_ptr_equal(sched_pick(), high);
    sched_ready_remove(high);
    assert_ptr_equal(sched_pick(), mid);
    sched_ready_remove(mid);
    assert_ptr_equal(sched_pick(), low);
}

static void extreme_priorities(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *p30 = fx_spawn(FX_ALPHA, 30);
    assert_ptr_equal(sched_pick(), p30);
    struct cmrx_thread *p0 = fx_spawn(FX_ALPHA, 0);
    assert_ptr_equal(sched_pick(), p0);
    sched_ready_remove(p0);
    sched_ready_remove(p30);
    assert_ptr_equal(sched_pick(), fx_idle());
}

static void round_robin_rotates_equals_in_fifo_order(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *a = fx_spawn(FX_ALPHA, 8);
    struct cmrx_thread *b = fx_spawn(FX_ALPHA, 8);
    struct cmrx_thread *c = fx_spawn(FX_BETA, 8);
    assert_int_equal(sched_ready_count(8), 3);
    struct cmrx_thread *expect[] = {a, b, c, a, b, c, a};
    for (unsigned i = 0; i < 7; i++) {
        assert_ptr_equal(sched_pick(), expect[i]);
        sched_rotate(8);
    }
}

static void yield_syscall_rotates_without_pendsv(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *a = fx_spawn(FX_ALPHA, 8);
    struct cmrx_thread *b = fx_spawn(FX_ALPHA, 8);
    fx_run(a);
    host_switch_requests = 0;
    a->ctx.retval = -1;
    ctx_thread_yield(a);
    /* A context call: the port switches as the call ends, no PendSV. */
    assert_int_equal(a->ctx.retval, CMRX_OK);
    assert_int_equal(host_switch_requests, 0);
    assert_ptr_equal(cmrx_sched.next, b);
    assert_ptr_equal(fx_switch(), b);
    ctx_thread_yield(b);
    assert_ptr_equal(fx_switch(), a);
}

static void yield_alone_keeps_running(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *a = fx_spawn(FX_ALPHA, 8);
    fx_spawn(FX_ALPHA, 9); /* lower priority: must not get the CPU */
    fx_run(a);
    ctx_thread_yield(a);
    assert_ptr_equal(cmrx_sched.next, a);
    assert_ptr_equal(fx_switch(), a);
}

static void sleep_zero_yields(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *a = fx_spawn(FX_ALPHA, 8);
    struct cmrx_thread *b = fx_spawn(FX_ALPHA, 8);
    fx_run(a);
    host_switch_requests = 0;
    assert_int_equal(sys_usleep(0), CMRX_OK);
    assert_int_equal(host_switch_requests, 1);
    assert_ptr_equal(fx_switch(), b);
}

static void remove_middle_keeps_ring(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *a = fx_spawn(FX_ALPHA, 5);
    struct cmrx_thread *b = fx_spawn(FX_ALPHA, 5);
    struct cmrx_thread *c = fx_spawn(FX_ALPHA, 5);
    sched_ready_remove(b);
    assert_int_equal(sched_ready_count(5), 2);
    assert_ptr_equal(sched_pick(), a);
    sched_rotate(5);
    assert_ptr_equal(sched_pick(), c);
    sched_rotate(5);
    assert_ptr_equal(sched_pick(), a);
    sched_ready_remove(a);
    sched_ready_remove(c);
    assert_int_equal(sched_ready_count(5), 0);
    assert_ptr_equal(sched_pick(), fx_idle());
}

static void tick_time_slices_equal_priorities(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *a = fx_spawn(FX_ALPHA, 8);
    struct cmrx_thread *b = fx_spawn(FX_BETA, 8);
    fx_run(a);
    cmrx_kernel_tick();
    assert_ptr_equal(fx_switch(), b);
    cmrx_kernel_tick();
    assert_ptr_equal(fx_switch(), a);
}

static void tick_does_not_rotate_a_lone_thread(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *a = fx_spawn(FX_ALPHA, 8);
    fx_run(a);
    host_switch_requests = 0;
    cmrx_kernel_tick();
    assert_int_equal(host_switch_requests, 0);
    assert_ptr_equal(fx_switch(), a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(picks_highest_priority),
        cmocka_unit_test(extreme_priorities),
        cmocka_unit_test(round_robin_rotates_equals_in_fifo_order),
        cmocka_unit_test(yield_syscall_rotates_without_pendsv),
        cmocka_unit_test(yield_alone_keeps_running),
        cmocka_unit_test(sleep_zero_yields),
        cmocka_unit_test(remove_middle_keeps_ring),
        cmocka_unit_test(tick_time_slices_equal_priorities),
        cmocka_unit_test(tick_does_not_rotate_a_lone_thread),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
