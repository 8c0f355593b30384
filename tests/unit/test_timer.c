/* Periodic timers and signals: the timer queue, drift-free re-arming,
 * delivery to waiting, sleeping and running threads. */
#include "fixture.h"

#include <cmrx/signal.h>
#include <cmrx/wait.h>

static void tick(unsigned n)
{
    while (n-- > 0) {
        cmrx_kernel_tick();
    }
}

static void timers_fire_in_deadline_order_without_drift(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *a = fx_spawn(FX_ALPHA, 10);
    struct cmrx_thread *b = fx_spawn(FX_ALPHA, 10);
    fx_run(a);
    sys_setitimer(3000); /* every 3 ticks */
    fx_run(b);
    sys_setitimer(2500); /* rounded up to 3 ticks as well */
    tick(2);
    assert_int_equal(a->sig_pending, 0);
    tick(1);
    assert_int_equal(a->sig_pending, CMRX_SIGALRM);
    assert_int_equal(b->sig_pending, CMRX_SIGALRM);
    a->sig_pending = 0;
    tick(3);
    assert_int_equal(a->sig_pending, CMRX_SIGALRM);
    assert_int_equal(cmrx_timers[0].deadline.due, 9u); /* 3, 6, next 9: no drift */
}

static void missed_periods_coalesce(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *a = fx_spawn(FX_ALPHA, 10);
    fx_run(a);
    sys_setitimer(1000);
    /* Jump time ahead 5 ticks at once: one signal, next due after now. */
    time_init(4);
    cmrx_kernel_tick();
    assert_int_equal(a->sig_pending, CMRX_SIGALRM);
    assert_int_equal(cmrx_timers[0].deadline.due, 6u);
}

static void timers_come_from_the_process_slots(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *a = fx_spawn(FX_ALPHA, 10);
    struct cmrx_thread *b = fx_spawn(FX_ALPHA, 10);
    struct cmrx_thread *c = fx_spawn(FX_ALPHA, 10);
    struct cmrx_thread *d = fx_spawn(FX_BETA, 10);
    fx_run(a);
    assert_int_equal(sys_setitimer(1000), CMRX_OK);
    assert_int_equal(sys_setitimer(2000), CMRX_OK); /* re-arming keeps its slot */
    fx_run(b);
    assert_int_equal(sys_setitimer(1000), CMRX_OK);
    fx_run(c);
    assert_int_equal(sys_setitimer(1000), CMRX_EAGAIN); /* alpha declared two */
    fx_run(d);
    assert_int_equal(sys_setitimer(1000), CMRX_EAGAIN); /* beta declared none */
    fx_exit(b, 0);                                      /* b's slot comes back */
    fx_run(c);
    assert_int_equal(sys_setitimer(1000), CMRX_OK);
    assert_ptr_equal(cmrx_timers[1].owner, c);
}

static void stopping_and_exiting_disarm(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *a = fx_spawn(FX_ALPHA, 10);
    struct cmrx_thread *b = fx_spawn(FX_ALPHA, 10);
    fx_run(a);
    sys_setitimer(1000);
    sys_setitimer(0);
    fx_run(b);
    sys_setitimer(1000);
    fx_exit(b, 0);
    tick(3);
    assert_int_equal(a->sig_pending, 0);
    assert_int_equal(b->sig_pending, 0);
}

static void signal_wait_takes_pending_or_blocks(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *a = fx_spawn(FX_ALPHA, 10);
    fx_run(a);
    a->sig_pending = CMRX_SIGUSR1 | CMRX_SIGUSR2;
    assert_int_equal(sys_signal_wait(CMRX_SIGUSR2, 0), (int)CMRX_SIGUSR2);
    assert_int_equal(a->sig_pending, CMRX_SIGUSR1);
    assert_int_equal(sys_signal_wait(CMRX_SIGALRM, 0), CMRX_ETIMEDOUT);
    assert_int_equal(sys_signal_wait(0, 10), CMRX_EINVAL);
    sys_signal_wait(CMRX_SIGALRM, CMRX_FOREVER);
    assert_int_equal(a->state, CMRX_T_SIGWAIT);
    signal_raise(a, CMRX_SIGUSR2); /* not waited for: stays pending */
    assert_int_equal(a->state, CMRX_T_SIGWAIT);
    signal_raise(a, CMRX_SIGALRM);
    assert_int_equal(a->state, CMRX_T_READY);
    assert_int_equal(a->ctx.retval, (int)CMRX_SIGALRM);
    assert_int_equal(a->sig_pending, CMRX_SIGUSR1 | CMRX_SIGUSR2);
}

static void handler_runs_on_switch_in_and_returns(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *a = fx_spawn(FX_ALPHA, 10);
    struct cmrx_thread *main = fx_spawn(FX_ALPHA, 5);
    cmrx_signal_handler_t h = (cmrx_signal_handler_t)(uintptr_t)(fx_flash + 200);
    fx_run(a);
    assert_int_equal(sys_signal_handler(h), CMRX_OK);
    a->ctx.regs[0] = 0x4444;
    struct cmrx_port_context interrupted = a->ctx;
    /* a sleeps; main signals it: the sleep ends with EINTR. */
    sys_usleep(50000);
    fx_run(main);
    assert_int_equal(sys_signal_send(thread_id(a), CMRX_SIGUSR1), CMRX_OK);
    assert_int_equal(a->state, CMRX_T_READY);
    assert_int_equal(a->ctx.retval, CMRX_EINTR);
    /* When a is switched in, its handler runs first. */
    sched_ready_remove(main);
    sched_reschedule();
    assert_ptr_equal(fx_switch(), a);
    assert_int_equal(a->ctx.pc, (uintptr_t)h);
    assert_int_equal(a->ctx.call_args[0], CMRX_SIGUSR1);
    assert_int_equal(a->ctx.lr, (uintptr_t)cmrx_signal_return_trampoline);
    assert_int_equal(a->ctx.regs[0], 0);
    assert_int_equal(a->sig_pending, 0);
    /* More signals wait until the handler returns. */
    signal_raise(a, CMRX_SIGUSR2);
    cmrx_signal_switch_in(a);
    assert_int_equal(a->ctx.pc, (uintptr_t)h);
    assert_int_equal(a->sig_pending, CMRX_SIGUSR2);
    ctx_signal_return(a);
    interrupted.retval = CMRX_EINTR;
    assert_int_equal(a->ctx.pc, interrupted.pc);
    assert_int_equal(a->ctx.sp, interrupted.sp);
    assert_int_equal(a->ctx.regs[0], 0x4444);
    assert_int_equal(a->ctx.retval, CMRX_EINTR);
    assert_null(a->frames);
    /* ...and then run it. */
    cmrx_signal_switch_in(a);
    assert_int_equal(a->ctx.call_args[0], CMRX_SIGUSR2);
    /* A return from no handler is refused. */
    ctx_signal_return(a);
    ctx_signal_return(a);
    assert_int_equal(a->ctx.retval, CMRX_EINVAL);
}

static void no_delivery_inside_rpc_calls(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *a = fx_spawn(FX_ALPHA, 10);
    fx_run(a);
    sys_signal_handler((cmrx_signal_handler_t)(uintptr_t)(fx_flash + 200));
    void **obj = (void **)(void *)fx_beta_ram;
    obj[0] = (void *)(uintptr_t)fx_beta_vtable;
    uintptr_t args[6] = {(uintptr_t)obj, 0, 0, 0, 0, 0};
    for (int i = 0; i < 6; i++) {
        a->ctx.args[i] = args[i];
    }
    ctx_rpc_call(a);
    uintptr_t pc = a->ctx.pc;
    signal_raise(a, CMRX_SIGUSR1);
    cmrx_signal_switch_in(a);
    assert_int_equal(a->ctx.pc, pc); /* still the method */
    assert_int_equal(a->sig_pending, CMRX_SIGUSR1);
}

static void bad_signal_arguments(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *a = fx_spawn(FX_ALPHA, 10);
    struct cmrx_thread *other = fx_spawn(FX_BETA, 10);
    fx_run(a);
    assert_int_equal(sys_signal_send(thread_id(a), 0), CMRX_EINVAL);
    assert_int_equal(sys_signal_send(thread_id(a), 0x80000000u), CMRX_EINVAL);
    assert_int_equal(sys_signal_send(thread_id(other), 1), CMRX_ESRCH);
    assert_int_equal(sys_signal_handler((cmrx_signal_handler_t)(uintptr_t)fx_alpha_ram),
                     CMRX_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(timers_fire_in_deadline_order_without_drift),
        cmocka_unit_test(missed_periods_coalesce),
        cmocka_unit_test(timers_come_from_the_process_slots),
        cmocka_unit_test(stopping_and_exiting_disarm),
        cmocka_unit_test(signal_wait_takes_pending_or_blocks),
        cmocka_unit_test(handler_runs_on_switch_in_and_returns),
        cmocka_unit_test(no_delivery_inside_rpc_calls),
        cmocka_unit_test(bad_signal_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
