/* Kernel time: the tick counter, the sleep queue and the microsecond clock.
 *
 * Sleepers sit in one list sorted by wake tick. Tick values wrap, so they
 * are compared by the sign of their difference: correct as long as no
 * sleep is longer than 2^31 ticks (24 days at 1 kHz).
 */
#include "kernel.h"

#include <cmrx/thread.h>

static volatile uint32_t ticks;
static struct cmrx_thread *sleep_head;

static bool tick_before(uint32_t a, uint32_t b)
{
    return (int32_t)(a - b) < 0;
}

void time_init(uint32_t start_tick)
{
    ticks = start_tick;
    sleep_head = NULL;
}

uint32_t time_ticks(void)
{
    return ticks;
}

void time_sleep_until(struct cmrx_thread *t, uint32_t wake_tick)
{
    sched_ready_remove(t);
    t->state = CMRX_T_SLEEPING;
    t->wake_tick = wake_tick;
    /* Behind every sleeper due at or before us: equal deadlines wake FIFO. */
    struct cmrx_thread **link = &sleep_head;
    while (*link != NULL && !tick_before(wake_tick, (*link)->wake_tick)) {
        link = &(*link)->sleep_next;
    }
    t->sleep_next = *link;
    *link = t;
}

void time_sleep_cancel(struct cmrx_thread *t)
{
    for (struct cmrx_thread **link = &sleep_head; *link != NULL; link = &(*link)->sleep_next) {
        if (*link == t) {
            *link = t->sleep_next;
            t->sleep_next = NULL;
            return;
        }
    }
}

void cmrx_kernel_tick(void)
{
    uint32_t now = ticks + 1u;
    ticks = now;
    while (sleep_head != NULL && !tick_before(now, sleep_head->wake_tick)) {
        struct cmrx_thread *t = sleep_head;
        sleep_head = t->sleep_next;
        t->sleep_next = NULL;
        sched_ready_add(t);
    }
    /* Time slice: the running thread goes behind its equals. */
    struct cmrx_thread *cur = cmrx_sched.current;
    if (cur != NULL && cur->state == CMRX_T_READY) {
        sched_rotate(cur->priority);
    }
    sched_reschedule();
}

int32_t sys_usleep(uint32_t us)
{
    struct cmrx_thread *self = cmrx_sched.current;
    uint32_t now = ticks;
    uint32_t phase = port_tick_phase_us(); /* microseconds since tick `now` began */
    /* Wake on the first tick boundary at or after now + phase + us. */
    uint32_t wake =
        now + us / CMRX_TICK_US + (phase + us % CMRX_TICK_US + CMRX_TICK_US - 1u) / CMRX_TICK_US;
    if (wake == now) {
        return sys_thread_yield();
    }
    time_sleep_until(self, wake);
    sched_reschedule();
    return CMRX_OK;
}

int32_t sys_time_us(void)
{
    return (int32_t)(ticks * CMRX_TICK_US + port_tick_phase_us());
}
