/* The isolation rules of docs/security.md, on the host port: frames only
 * below a stack pointer in the thread's window, and out of reach of the
 * thread and of the kernel acting for it; scrubbing across RPC; a
 * method's hands off its caller's signal state; ceilings; restarts that
 * back off, give up and do not wait forever; ids that do not repeat. */
#include "fixture.h"

#include <cmrx/wait.h>

#include <cmrx/signal.h>

#include <string.h>

static void **beta_obj(void)
{
    void **obj = (void **)(void *)fx_beta_ram;
    obj[0] = (void *)(uintptr_t)fx_beta_vtable;
    return obj;
}

static void **alpha_obj(void)
{
    void **obj = (void **)(void *)FX_ALPHA_SERVICE;
    obj[0] = (void *)(uintptr_t)fx_alpha_vtable;
    return obj;
}

static void call(struct cmrx_thread *t, const void *svc, uintptr_t m)
{
    uintptr_t args[6] = {(uintptr_t)svc, m, 11, 22, 33, 44};
    memcpy(t->ctx.args, args, sizeof(args));
    ctx_rpc_call(t);
}

static void ret(struct cmrx_thread *t, int32_t value)
{
    t->ctx.args[0] = (uintptr_t)(uint32_t)value;
    ctx_rpc_return(t);
}

static bool all_bytes(uintptr_t from, uintptr_t to, uint8_t v)
{
    for (const uint8_t *p = (const uint8_t *)from; p < (const uint8_t *)to; p++) {
        if (*p != v) {
            return false;
        }
    }
    return true;
}

/* t (running) takes a signal: its handler frame is built at switch-in. */
static void deliver(struct cmrx_thread *t, uint32_t signals)
{
    signal_raise(t, signals);
    host_port_switch();
}

static void signal_frame_is_out_of_the_kernels_reach_too(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *t = fx_spawn(FX_ALPHA, 10);
    fx_run(t);
    assert_int_equal(sys_signal_handler((void (*)(uint32_t))(uintptr_t)fx_entry()), CMRX_OK);
    uintptr_t sp = t->ctx.sp;
    deliver(t, CMRX_SIGUSR1);
    struct cmrx_call_frame *f = t->frames;
    assert_non_null(f);
    assert_int_equal(f->kind, CMRX_FRAME_SIGNAL);
    assert_true((uintptr_t)f < sp && f->limit <= (uintptr_t)f);
    /* The handler's window ends below the frame, for the MPU and for
     * access_ok() alike: a join cannot store into the saved context. */
    assert_int_equal(t->ctx.stack_limit, f->limit);
    assert_false(access_ok(t, &f->saved.mpu_image, 4, true));
    assert_true(access_ok(t, (void *)(f->limit - 4u), 4, true));
    int *target = (int *)(void *)&f->saved.mpu_image;
    cmrx_tid_t c = thread_id(fx_spawn(FX_ALPHA, 10));
    assert_int_equal(sys_thread_join(c, target), CMRX_EFAULT);
    /* Nor can an RPC call or a second frame be built from a stack pointer
     * above the window (inside the frame). */
    t->ctx.sp = (uintptr_t)&f->saved;
    call(t, beta_obj(), 0);
    assert_int_equal(t->ctx.retval, CMRX_EFAULT);
    assert_ptr_equal(t->frames, f);
}

static void a_stack_pointer_outside_the_stack_kills_the_signal(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *t = fx_spawn(FX_ALPHA, 10);
    fx_run(t);
    assert_int_equal(sys_signal_handler((void (*)(uint32_t))(uintptr_t)fx_entry()), CMRX_OK);
    memset(fx_alpha_ram, 0x3C, sizeof(fx_alpha_ram));
    t->ctx.sp = (uintptr_t)(fx_alpha_ram + 120); /* its own .bss */
    deliver(t, CMRX_SIGUSR1);
    assert_true(t->state == CMRX_T_ZOMBIE || t->state == CMRX_T_FREE);
    assert_null(t->frames);
    assert_true(all_bytes((uintptr_t)fx_alpha_ram, (uintptr_t)(fx_alpha_ram + 128), 0x3C));
    assert_non_null(strstr(fx_log(), "no room in its stack"));
}

static void a_stack_pointer_outside_the_stack_fails_the_call(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *t = fx_spawn(FX_ALPHA, 10);
    fx_run(t);
    memset(fx_alpha_shared, 0x3C, sizeof(fx_alpha_shared));
    t->ctx.sp = (uintptr_t)(fx_alpha_shared + 48);
    call(t, beta_obj(), 0);
    assert_int_equal(t->ctx.retval, CMRX_EFAULT);
    assert_null(t->frames);
    assert_true(all_bytes((uintptr_t)fx_alpha_shared, (uintptr_t)(fx_alpha_shared + 64), 0x3C));
}

static void rpc_scrubs_the_callees_window_both_ways(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *t = fx_spawn(FX_ALPHA, 10);
    fx_run(t);
    uintptr_t base = (uintptr_t)fx_alpha_stacks[0];
    uintptr_t sp = t->ctx.sp;
    memset((void *)base, 0xA5, sp - base); /* the caller's dead stack */
    call(t, beta_obj(), 0);                /* beta: no budget, all the caller has */
    struct cmrx_call_frame *f = t->frames;
    assert_int_equal(f->base, base);
    assert_true(all_bytes(f->base, f->limit - 64u, 0)); /* (the entry frame is on top) */
    memset((void *)f->base, 0x5A, f->limit - f->base - 64u); /* what the callee leaves */
    uintptr_t window_top = f->limit;
    ret(t, 0);
    assert_true(all_bytes(base, window_top, 0));
}

static void a_methods_window_is_its_budget(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *b = fx_spawn(FX_BETA, 10);
    fx_run(b);
    uintptr_t base = (uintptr_t)fx_beta_stacks[0];
    memset((void *)base, 0xA5, b->ctx.sp - base);
    call(b, alpha_obj(), 0); /* alpha's methods get 512 bytes */
    struct cmrx_call_frame *f = b->frames;
    assert_true(f->limit - f->base >= 512u && f->limit - f->base < 512u + 64u);
    assert_int_equal(b->ctx.stack_base, f->base);
    assert_false(access_ok(b, (void *)(f->base - 4u), 4, false));
    assert_true(access_ok(b, (void *)f->base, 4, true));
    /* Only the window is scrubbed; the caller's stack below it stays. */
    assert_true(all_bytes(base, f->base, 0xA5));
    assert_true(all_bytes(f->base, f->limit - 64u, 0));
    ret(b, 0);
    assert_true(all_bytes(base, f->base, 0xA5));
}

static void a_method_cannot_touch_its_callers_signals(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *t = fx_spawn(FX_ALPHA, 10);
    fx_run(t);
    call(t, beta_obj(), 0);
    void (*h)(uint32_t) = (void (*)(uint32_t))(uintptr_t)fx_entry();
    assert_int_equal(sys_signal_handler(h), CMRX_EPERM);
    assert_int_equal(sys_setitimer(1000), CMRX_EPERM);
    assert_int_equal(sys_signal_wait(CMRX_SIGUSR1, 0), CMRX_EPERM);
    assert_null(t->sig_handler);
    ret(t, 0);
    assert_int_equal(sys_signal_handler(h), CMRX_OK);
    assert_int_equal(sys_setitimer(1000), CMRX_OK);
}

static void objects_in_shared_memory_serve_nothing(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *b = fx_spawn(FX_BETA, 10);
    fx_run(b);
    void **forged = (void **)(void *)fx_alpha_shared;
    forged[0] = (void *)(uintptr_t)fx_alpha_vtable;
    call(b, forged, 0);
    assert_int_equal(b->ctx.retval, CMRX_ERPC_FORGED);
    assert_null(b->frames);
}

/* Words a process keeps for a client (its vtable and a pointer beside
 * it) in its .bss, or over its declared .data: no object of it; its
 * declared object still is. */
static void only_declared_objects_serve(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *b = fx_spawn(FX_BETA, 10);
    fx_run(b);
    void **kept = (void **)(void *)(fx_alpha_ram + 64); /* alpha's .bss */
    kept[0] = (void *)(uintptr_t)fx_alpha_vtable;
    call(b, kept, 0);
    assert_int_equal(b->ctx.retval, CMRX_ERPC_FORGED);
    assert_null(b->frames);
    kept = (void **)(void *)fx_alpha_ram; /* .data, whose initial value is no object */
    kept[0] = (void *)(uintptr_t)fx_alpha_vtable;
    call(b, kept, 0);
    assert_int_equal(b->ctx.retval, CMRX_ERPC_FORGED);
    call(b, alpha_obj(), 0);
    assert_non_null(b->frames);
}

static void no_thread_above_the_ceiling(void **state)
{
    (void)state;
    fx_boot();
    int err = 0;
    assert_null(thread_spawn(&cmrx_processes[FX_BETA], fx_entry(), NULL, 1, &err));
    assert_int_equal(err, CMRX_EPERM);
    struct cmrx_thread *b = fx_spawn(FX_BETA, 2);
    fx_run(b);
    assert_int_equal(sys_thread_create(fx_entry(), NULL, 0), CMRX_EPERM);
    assert_int_equal(sys_thread_set_priority(thread_id(b), 1), CMRX_EPERM);
    assert_int_equal(sys_thread_set_priority(thread_id(b), 2), CMRX_OK);
    assert_int_equal(sys_thread_set_priority(thread_id(b), 20), CMRX_OK);
}

static void ticks(unsigned n)
{
    while (n-- > 0) {
        cmrx_kernel_tick();
    }
}

static void restarts_back_off_then_give_up(void **state)
{
    (void)state;
    fx_boot();
    const struct cmrx_process *beta = &cmrx_processes[FX_BETA];
    struct cmrx_process_state *st = beta->state;
    process_kill(beta, true, CMRX_CAUSE_FAULT); /* the first fault: at once */
    assert_int_equal(st->restarts, 1);
    unsigned wait = CMRX_RESTART_FIRST_MS;
    for (unsigned n = 2; n <= CMRX_RESTART_LIMIT; n++, wait *= 2) {
        process_kill(beta, true, CMRX_CAUSE_FAULT); /* soon after: it waits */
        assert_int_equal(st->restarts, n - 1u);
        assert_int_equal(st->dead, 1);
        ticks(wait - 1u);
        assert_int_equal(st->restarts, n - 1u);
        ticks(2);
        assert_int_equal(st->restarts, n);
        assert_int_equal(st->dead, 0);
        fx_log(); /* as the idle thread would, between restarts */
    }
    process_kill(beta, true, CMRX_CAUSE_FAULT); /* one more: given up */
    assert_int_equal(st->dead, 1);
    ticks(5000);
    assert_int_equal(st->dead, 1);
    assert_non_null(strstr(fx_log(), "quick faults in a row, left dead"));
    /* A supervisor may still restart it, and a quiet second later its next
     * fault counts as the first again. */
    process_kill(beta, true, CMRX_CAUSE_ASKED);
    assert_int_equal(st->dead, 0);
    ticks(CMRX_RESTART_STABLE_MS);
    process_kill(beta, true, CMRX_CAUSE_FAULT);
    assert_int_equal(st->dead, 0);
}

/* Beta, faulted twice in a row: restarted once, and backing off for
 * CMRX_RESTART_FIRST_MS before its second restart. */
static struct cmrx_process_state *beta_backing_off(void)
{
    const struct cmrx_process *beta = &cmrx_processes[FX_BETA];
    process_kill(beta, true, CMRX_CAUSE_FAULT);
    process_kill(beta, true, CMRX_CAUSE_FAULT);
    assert_int_equal(beta->state->restarts, 1);
    assert_int_equal(beta->state->dead, 1);
    return beta->state;
}

/* A restart's work (its back-off's end, its chunks) is beta's own: while
 * a thread above beta's ceiling (2) is ready it waits, so that it cannot
 * delay that thread (an interrupt's driver), and it happens at the first
 * tick after. */
static void a_restart_waits_while_a_thread_above_its_ceiling_is_ready(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_process_state *st = beta_backing_off();
    struct cmrx_thread *urgent = fx_spawn(FX_ALPHA, 1);
    ticks(CMRX_RESTART_FIRST_MS + 5u);
    assert_int_equal(st->restarts, 1);
    assert_int_equal(st->dead, 1);
    /* At beta's ceiling it is not above it: the restart goes. */
    struct cmrx_thread *equal = fx_spawn(FX_ALPHA, 2);
    fx_run(urgent);
    assert_int_equal(sys_usleep(1000000), CMRX_OK); /* urgent blocks */
    fx_run(equal);
    ticks(1);
    assert_int_equal(st->restarts, 2);
    assert_int_equal(st->dead, 0);
}

/* An interrupt that comes during the tick (its notify posted, its thread
 * not woken yet) keeps the tick from restarting beta ahead of that
 * thread: the tick wakes it first, sees it above beta's ceiling, and the
 * restart waits for the first tick after it blocks. */
static void a_restart_waits_for_the_thread_of_an_interrupt_during_the_tick(void **state)
{
    (void)state;
    fx_boot();
    volatile uint32_t *bell = (volatile uint32_t *)(void *)fx_alpha_ram; /* alpha's .data */
    *bell = 0;
    struct cmrx_thread *drv = fx_spawn(FX_ALPHA, 1);
    fx_run(drv);
    assert_int_equal(sys_wait(bell, 0, CMRX_FOREVER), CMRX_OK);
    assert_int_equal(drv->state, CMRX_T_WAITING);
    struct cmrx_process_state *st = beta_backing_off();
    ticks(CMRX_RESTART_FIRST_MS - 1u);
    assert_int_equal(st->restarts, 1);
    assert_int_equal(cmrx_isr_notify((const void *)bell), 0); /* as if during the tick */
    ticks(1);
    assert_int_equal(drv->state, CMRX_T_READY);
    assert_int_equal(st->restarts, 1); /* due, and waiting for drv */
    fx_run(drv);
    assert_int_equal(sys_wait(bell, 0, CMRX_FOREVER), CMRX_OK);
    ticks(1);
    assert_int_equal(st->restarts, 2);
}

static void a_thread_held_in_a_service_is_stopped_after_the_grace(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *b = fx_spawn(FX_BETA, 10);
    fx_run(b);
    uintptr_t base = (uintptr_t)fx_beta_stacks[0];
    call(b, alpha_obj(), 0);
    struct cmrx_call_frame *f = b->frames;
    memset((void *)f->base, 0x5A, f->limit - f->base - 64u); /* alpha's data */
    uintptr_t top = f->limit;
    process_kill(&cmrx_processes[FX_BETA], true, CMRX_CAUSE_ASKED);
    /* The method never returns: the restart waits for the grace only. */
    assert_int_equal(cmrx_process_state[FX_BETA].restarts, 0);
    ticks(CMRX_DOOMED_GRACE_MS + 1u);
    assert_non_null(strstr(fx_log(), "did not return from alpha; stopped there"));
    assert_int_equal(cmrx_process_state[FX_BETA].restarts, 1);
    assert_int_equal(cmrx_process_state[FX_BETA].doomed, 0);
    assert_int_equal(b->state, CMRX_T_FREE);
    assert_true(all_bytes(f->base, top, 0)); /* alpha's leftovers scrubbed */
    (void)base;
}

static void killing_a_process_one_is_nested_in_unwinds_out_of_it(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *t = fx_spawn(FX_ALPHA, 10);
    fx_run(t);
    uintptr_t sp = t->ctx.sp;
    call(t, beta_obj(), 0);  /* alpha -> beta */
    call(t, alpha_obj(), 0); /* -> alpha again: S -> P -> S */
    t->ctx.args[0] = FX_BETA;
    t->ctx.args[1] = CMRX_PROC_KILL;
    ctx_process_control(t);
    /* Back in alpha where it called beta, with beta's death as the result. */
    assert_null(t->frames);
    assert_int_equal(t->ctx.sp, sp);
    assert_int_equal(t->ctx.retval, CMRX_ERPC_DEAD);
    assert_ptr_equal(thread_active(t), &cmrx_processes[FX_ALPHA]);
}

static void a_thread_ended_while_running_is_not_saved(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *t = fx_spawn(FX_ALPHA, 10);
    fx_run(t);
    thread_finish(t, 0);
    assert_null(cmrx_sched.current); /* the port saves nothing over its slot */
}

static void thread_ids_outlast_8_bit_generations(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *t = fx_spawn(FX_ALPHA, 10);
    fx_run(t);
    struct cmrx_thread *c = fx_spawn(FX_ALPHA, 20);
    int first = thread_id(c);
    for (unsigned n = 0; n < 600; n++) {
        thread_finish(c, 0);
        assert_int_equal(sys_thread_join(thread_id(c), NULL), CMRX_OK);
        c = fx_spawn(FX_ALPHA, 20);
        assert_int_not_equal(thread_id(c), first);
    }
    /* The generation wraps at 2^23, keeping ids positive. */
    c->gen = (1u << CMRX_TID_GEN_BITS) - 1u;
    assert_true(thread_id(c) > 0);
    thread_finish(c, 0);
    sys_thread_join(thread_id(c), NULL);
    c = fx_spawn(FX_ALPHA, 20);
    assert_int_equal(c->gen, 0);
}

static void timer_periods_do_not_wrap(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *t = fx_spawn(FX_ALPHA, 10);
    fx_run(t);
    assert_int_equal(sys_setitimer(0xFFFFFFFFu), CMRX_OK);
    assert_int_equal(cmrx_timers[0].period, 4294968u);
    assert_int_equal(sys_setitimer(1u), CMRX_OK);
    assert_int_equal(cmrx_timers[0].period, 1u);
}

static void join_refuses_unaligned_pointers(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *t = fx_spawn(FX_ALPHA, 10);
    fx_run(t);
    struct cmrx_thread *c = fx_spawn(FX_ALPHA, 20);
    thread_finish(c, 5);
    int *odd = (int *)(void *)(fx_alpha_ram + 65);
    assert_int_equal(sys_thread_join(thread_id(c), odd), CMRX_EFAULT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(signal_frame_is_out_of_the_kernels_reach_too),
        cmocka_unit_test(a_stack_pointer_outside_the_stack_kills_the_signal),
        cmocka_unit_test(a_stack_pointer_outside_the_stack_fails_the_call),
        cmocka_unit_test(rpc_scrubs_the_callees_window_both_ways),
        cmocka_unit_test(a_methods_window_is_its_budget),
        cmocka_unit_test(a_method_cannot_touch_its_callers_signals),
        cmocka_unit_test(objects_in_shared_memory_serve_nothing),
        cmocka_unit_test(only_declared_objects_serve),
        cmocka_unit_test(no_thread_above_the_ceiling),
        cmocka_unit_test(restarts_back_off_then_give_up),
        cmocka_unit_test(a_restart_waits_while_a_thread_above_its_ceiling_is_ready),
        cmocka_unit_test(a_restart_waits_for_the_thread_of_an_interrupt_during_the_tick),
        cmocka_unit_test(a_thread_held_in_a_service_is_stopped_after_the_grace),
        cmocka_unit_test(killing_a_process_one_is_nested_in_unwinds_out_of_it),
        cmocka_unit_test(a_thread_ended_while_running_is_not_saved),
        cmocka_unit_test(thread_ids_outlast_8_bit_generations),
        cmocka_unit_test(timer_periods_do_not_wrap),
        cmocka_unit_test(join_refuses_unaligned_pointers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
