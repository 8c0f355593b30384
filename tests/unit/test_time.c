/* Sleep queue ordering, wrap-around of the tick counter, usleep rounding. */
#include "fixture.h"

#include <cmrx/signal.h>
#include <cmrx/wait.h>

/* Put a ready thread to sleep until tick `wake`. */
static void time_sleep_until(struct cmrx_thread *t, uint32_t wake)
{
    thread_block(t, CMRX_T_SLEEPING, NULL, wake - time_ticks());
}

static void tick_to(uint32_t target)
{
    while (time_ticks() != target) {
        cmrx_kernel_tick();
    }
}

static void sleepers_wake_in_deadline_order(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *a = fx_spawn(FX_ALPHA, 10);
    struct cmrx_thread *b = fx_spawn(FX_ALPHA, 10);
    struct cmrx_thread *c = fx_spawn(FX_ALPHA, 10);
    time_sleep_until(a, 30);
    time_sleep_until(b, 10);
    time_sleep_until(c, 20);
    tick_to(9);
    assert_int_equal(b->state, CMRX_T_SLEEPING);
    tick_to(10);
    assert_int_equal(b->state, CMRX_T_READY);
    assert_int_equal(c->state, CMRX_T_SLEEPING);
    tick_to(20);
    assert_int_equal(c->state, CMRX_T_READY);
    assert_int_equal(a->state, CMRX_T_SLEEPING);
    tick_to(30);
    assert_int_equal(a->state, CMRX_T_READY);
}

static void equal_deadlines_wake_fifo(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *a = fx_spawn(FX_ALPHA, 10);
    struct cmrx_thread *b = fx_spawn(FX_ALPHA, 10);
    struct cmrx_thread *c = fx_spawn(FX_BETA, 10);
    time_sleep_until(a, 5);
    time_sleep_until(b, 5);
    time_sleep_until(c, 5);
    tick_to(5);
    /* Woken in the order they went to sleep: a first at priority 10.
     * The tick also time-slices the current (idle) thread, which does not
     * touch priority 10. */
    assert_ptr_equal(sched_pick(), a);
    sched_rotate(10);
    assert_ptr_equal(sched_pick(), b);
    sched_rotate(10);
    assert_ptr_equal(sched_pick(), c);
}

static void ordering_across_tick_wraparound(void **state)
{
    (void)state;
    fx_boot();
    time_init(0xFFFFFFF0u);
    struct cmrx_thread *a = fx_spawn(FX_ALPHA, 10);
    struct cmrx_thread *b = fx_spawn(FX_ALPHA, 10);
    struct cmrx_thread *c = fx_spawn(FX_ALPHA, 10);
    time_sleep_until(a, 0x00000005u); /* after the wrap */
    time_sleep_until(b, 0xFFFFFFF8u); /* before the wrap */
    time_sleep_until(c, 0xFFFFFFFFu);
    tick_to(0xFFFFFFF8u);
    assert_int_equal(b->state, CMRX_T_READY);
    assert_int_equal(c->state, CMRX_T_SLEEPING);
    assert_int_equal(a->state, CMRX_T_SLEEPING);
    tick_to(0xFFFFFFFFu);
    assert_int_equal(c->state, CMRX_T_READY);
    assert_int_equal(a->state, CMRX_T_SLEEPING);
    tick_to(0x00000004u);
    assert_int_equal(a->state, CMRX_T_SLEEPING);
    tick_to(0x00000005u);
    assert_int_equal(a->state, CMRX_T_READY);
}

static void usleep_wakes_on_first_tick_after_deadline(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *a = fx_spawn(FX_ALPHA, 10);
    tick_to(100);
    fx_run(a);
    /* 300 us into tick 100, sleep 2500 us: deadline at 102.8 ticks -> 103. */
    host_tick_phase = 300;
    assert_int_equal(sys_usleep(2500), CMRX_OK);
    assert_int_equal(a->state, CMRX_T_SLEEPING);
    assert_int_equal(a->timeout.due, 103);
    /* Exactly on a boundary: 0 us into tick 100, sleep 2000 -> tick 102. */
    fx_run(fx_spawn(FX_ALPHA, 10));
    host_tick_phase = 0;
    sys_usleep(2000);
    assert_int_equal(cmrx_sched.current->timeout.due, 102);
    /* A pending tick shows as a phase beyond one tick: 1000+400 us into
     * tick 100 is 400 us into tick 101; sleep 100 -> tick 102. */
    fx_run(fx_spawn(FX_ALPHA, 10));
    host_tick_phase = 1400;
    sys_usleep(100);
    assert_int_equal(cmrx_sched.current->timeout.due, 102);
}

static void usleep_zero_yields(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *a = fx_spawn(FX_ALPHA, 10);
    struct cmrx_thread *b = fx_spawn(FX_ALPHA, 10);
    fx_run(a);
    host_tick_phase = 0;
    assert_int_equal(sys_usleep(0), CMRX_OK);
    assert_int_equal(a->state, CMRX_T_READY);
    assert_ptr_equal(fx_switch(), b);
}

static void usleep_huge_does_not_overflow(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *a = fx_spawn(FX_ALPHA, 10);
    fx_run(a);
    host_tick_phase = 999;
    sys_usleep(0xFFFFFFFFu);
    /* 4294967295 us + 999 us = 4294968.294 ticks -> 4294969 ticks */
    assert_int_equal(a->timeout.due, 4294969u);
}

static void time_us_counts_ticks_and_phase(void **state)
{
    (void)state;
    fx_boot();
    tick_to(7);
    host_tick_phase = 250;
    assert_int_equal(sys_time_us(), 7250);
}

static void a_tick_wakes_at_most_its_work_the_rest_next(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *t[CMRX_TICK_WORK + 1u];
    for (unsigned i = 0; i < CMRX_TICK_WORK + 1u; i++) {
        t[i] = fx_spawn(i < 3 ? FX_ALPHA : FX_BETA, 10);
        time_sleep_until(t[i], time_ticks() + 1u);
    }
    cmrx_kernel_tick();
    for (unsigned i = 0; i < CMRX_TICK_WORK + 1u; i++) {
        assert_int_equal(t[i]->state, i < CMRX_TICK_WORK ? CMRX_T_READY : CMRX_T_SLEEPING);
    }
    cmrx_kernel_tick(); /* the rest, still due: taken by the next tick */
    for (unsigned i = 0; i < CMRX_TICK_WORK + 1u; i++) {
        assert_int_equal(t[i]->state, CMRX_T_READY);
    }
}

/* The tick's budget goes to the highest priority's due work first: four
 * low-priority sleepers due before it do not keep a higher one waiting
 * (a_tickflood: 63 of them delayed the victim 16 ticks). */
static void a_tick_serves_the_highest_priority_first(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *low[CMRX_TICK_WORK];
    for (unsigned i = 0; i < CMRX_TICK_WORK; i++) {
        low[i] = fx_spawn(i < 3 ? FX_ALPHA : FX_BETA, 20);
        time_sleep_until(low[i], time_ticks() + 1u);
    }
    struct cmrx_thread *high = fx_spawn(FX_BETA, 10);
    time_sleep_until(high, time_ticks() + 1u); /* due with them, queued last */
    cmrx_kernel_tick();
    assert_int_equal(high->state, CMRX_T_READY);
    assert_int_equal(low[CMRX_TICK_WORK - 1u]->state, CMRX_T_SLEEPING);
    time_sleep_until(high, time_ticks() + 100u); /* it ran, and sleeps again */
    cmrx_kernel_tick();
    assert_int_equal(low[CMRX_TICK_WORK - 1u]->state, CMRX_T_READY);
}

/* Due work below a ready thread's priority waits for it: its thread
 * could not run before that one blocks anyway, and the work would only
 * delay it. When it blocks, the held work is done at once (the deferred
 * step), not a tick later. */
static void a_tick_holds_lower_work_while_a_higher_thread_is_ready(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *low = fx_spawn(FX_BETA, 20);
    struct cmrx_thread *mid = fx_spawn(FX_ALPHA, 10);
    struct cmrx_thread *high = fx_spawn(FX_ALPHA, 5);
    time_sleep_until(low, time_ticks() + 1u);
    cmrx_kernel_tick();
    assert_int_equal(low->state, CMRX_T_SLEEPING); /* due, held for high and mid */
    assert_int_equal(cmrx_deferred_pending.kind[CMRX_DEFERRED_HELD], 0);
    time_sleep_until(high, time_ticks() + 100u);
    /* mid, above low, is still ready: nothing to do yet. */
    assert_int_equal(cmrx_deferred_pending.kind[CMRX_DEFERRED_HELD], 0);
    time_sleep_until(mid, time_ticks() + 100u);
    assert_int_equal(cmrx_deferred_pending.kind[CMRX_DEFERRED_HELD], 1);
    cmrx_kernel_deferred();
    assert_int_equal(low->state, CMRX_T_READY);
    assert_int_equal(cmrx_deferred_pending.kind[CMRX_DEFERRED_HELD], 0);
}

/* A held sleeper raised above the thread that held it is woken by the
 * deferred step, not a tick later. */
static void a_held_sleeper_raised_above_the_ready_thread_wakes(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *low = fx_spawn(FX_ALPHA, 20);
    struct cmrx_thread *mid = fx_spawn(FX_ALPHA, 10);
    time_sleep_until(low, time_ticks() + 1u);
    cmrx_kernel_tick();
    assert_int_equal(low->state, CMRX_T_SLEEPING); /* held for mid */
    fx_run(mid);
    assert_int_equal(sys_thread_set_priority(thread_id(low), 5), CMRX_OK);
    assert_int_equal(cmrx_deferred_pending.kind[CMRX_DEFERRED_HELD], 1);
    cmrx_kernel_deferred();
    assert_int_equal(low->state, CMRX_T_READY);
}

/* The thread of an interrupt that came during the tick counts too: the
 * tick wakes it before it serves lower priorities' due work. */
static void a_tick_holds_lower_work_for_an_interrupts_thread(void **state)
{
    (void)state;
    fx_boot();
    volatile uint32_t *bell = (volatile uint32_t *)(void *)fx_alpha_ram; /* alpha's .data */
    *bell = 0;
    struct cmrx_thread *drv = fx_spawn(FX_ALPHA, 1);
    struct cmrx_thread *low[2] = {fx_spawn(FX_BETA, 20), fx_spawn(FX_BETA, 20)};
    fx_run(drv);
    assert_int_equal(sys_wait(bell, 0, CMRX_FOREVER), CMRX_OK);
    time_sleep_until(low[0], time_ticks() + 1u);
    time_sleep_until(low[1], time_ticks() + 1u);
    assert_int_equal(cmrx_isr_notify((const void *)bell), 0); /* as if during the tick */
    cmrx_kernel_tick();
    assert_int_equal(drv->state, CMRX_T_READY);
    assert_int_equal(low[0]->state, CMRX_T_SLEEPING);
    assert_int_equal(low[1]->state, CMRX_T_SLEEPING);
    fx_run(drv);
    assert_int_equal(sys_wait(bell, 0, CMRX_FOREVER), CMRX_OK);
    cmrx_kernel_deferred();
    assert_int_equal(low[0]->state, CMRX_T_READY);
    assert_int_equal(low[1]->state, CMRX_T_READY);
}

/* The entry due longest is served first, whatever its priority: four
 * higher-priority sleepers due every tick do not keep a lower one's
 * wake-up from ever coming (the queue-server test's consumer, starved by
 * its producers with the budget in priority order alone). */
static void a_tick_serves_the_longest_due_first(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *high[CMRX_TICK_WORK];
    struct cmrx_thread *low = fx_spawn(FX_BETA, 20);
    for (unsigned i = 0; i < CMRX_TICK_WORK; i++) {
        high[i] = fx_spawn(i < 3 ? FX_ALPHA : FX_BETA, 10);
    }
    time_sleep_until(low, time_ticks() + 1u);
    for (unsigned round = 0; round < 3; round++) {
        for (unsigned i = 0; i < CMRX_TICK_WORK; i++) {
            if (high[i]->state != CMRX_T_SLEEPING) {
                time_sleep_until(high[i], time_ticks() + 1u);
            }
        }
        cmrx_kernel_tick();
    }
    assert_int_equal(low->state, CMRX_T_READY);
}

/* A sleeper whose priority changes moves to its new priority's queue:
 * raised above four entries of its old priority due with it (two timers,
 * two sleepers), it is woken before them. */
static void a_sleepers_timeout_follows_its_priority(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *c = fx_spawn(FX_ALPHA, 20);
    struct cmrx_thread *d = fx_spawn(FX_ALPHA, 20);
    struct cmrx_thread *a = fx_spawn(FX_ALPHA, 20);
    struct cmrx_thread *b1 = fx_spawn(FX_BETA, 20);
    struct cmrx_thread *b2 = fx_spawn(FX_BETA, 20);
    uint32_t due = time_ticks() + 5u;
    fx_run(c);
    assert_int_equal(sys_setitimer(5000), CMRX_OK); /* due at `due` */
    fx_run(d);
    assert_int_equal(sys_setitimer(5000), CMRX_OK);
    time_sleep_until(b1, due);
    time_sleep_until(b2, due);
    time_sleep_until(a, due);
    fx_run(c);
    assert_int_equal(sys_thread_set_priority(thread_id(a), 10), CMRX_OK);
    tick_to(due);
    assert_int_equal(a->state, CMRX_T_READY);
    /* The rest wait for a, above them: once it sleeps again, the held
     * work is done, as much as a tick does. */
    assert_int_equal(b1->state, CMRX_T_SLEEPING);
    assert_int_equal(c->sig_pending, 0);
    time_sleep_until(a, due + 100u);
    cmrx_kernel_deferred();
    assert_int_equal(c->sig_pending, CMRX_SIGALRM);
    assert_int_equal(b2->state, CMRX_T_READY);
}

static void exit_of_sleeper_leaves_queue(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *a = fx_spawn(FX_ALPHA, 10);
    struct cmrx_thread *b = fx_spawn(FX_ALPHA, 10);
    time_sleep_until(a, 5);
    time_sleep_until(b, 6);
    thread_finish(a, 0);
    tick_to(6);
    assert_int_equal(a->state, CMRX_T_ZOMBIE);
    assert_int_equal(b->state, CMRX_T_READY);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sleepers_wake_in_deadline_order),
        cmocka_unit_test(equal_deadlines_wake_fifo),
        cmocka_unit_test(ordering_across_tick_wraparound),
        cmocka_unit_test(usleep_wakes_on_first_tick_after_deadline),
        cmocka_unit_test(usleep_zero_yields),
        cmocka_unit_test(usleep_huge_does_not_overflow),
        cmocka_unit_test(time_us_counts_ticks_and_phase),
        cmocka_unit_test(a_tick_wakes_at_most_its_work_the_rest_next),
        cmocka_unit_test(a_tick_serves_the_highest_priority_first),
        cmocka_unit_test(a_tick_serves_the_longest_due_first),
        cmocka_unit_test(a_tick_holds_lower_work_while_a_higher_thread_is_ready),
        cmocka_unit_test(a_tick_holds_lower_work_for_an_interrupts_thread),
        cmocka_unit_test(a_held_sleeper_raised_above_the_ready_thread_wakes),
        cmocka_unit_test(a_sleepers_timeout_follows_its_priority),
        cmocka_unit_test(exit_of_sleeper_leaves_queue),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
