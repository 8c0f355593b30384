/* Periodic timers (setitimer): each expiry raises CMRX_SIGALRM in the
 * thread that armed it. Armed threads sit in one list sorted by due tick;
 * deadlines advance by whole periods from the first one, so they never
 * drift, and a thread that fell behind gets one signal, not a burst. */
#include "kernel.h"

#include <cmrx/signal.h>

static struct cmrx_thread *timer_head;

void timer_init(void)
{
    timer_head = NULL;
}

static void timer_insert(struct cmrx_thread *t)
{
    struct cmrx_thread **link = &timer_head;
    while (*link != NULL && (int32_t)((*link)->timer_due - t->timer_due) <= 0) {
        link = &(*link)->timer_next;
    }
    t->timer_next = *link;
    *link = t;
}

void timer_cancel(struct cmrx_thread *t)
{
    if (t->timer_period == 0) {
        return;
    }
    for (struct cmrx_thread **link = &timer_head; *link != NULL; link = &(*link)->timer_next) {
        if (*link == t) {
            *link = t->timer_next;
            break;
        }
    }
    t->timer_next = NULL;
    t->timer_period = 0;
}

void timer_expire(uint32_t now)
{
    while (timer_head != NULL && (int32_t)(now - timer_head->timer_due) >= 0) {
        struct cmrx_thread *t = timer_head;
        timer_head = t->timer_next;
        do {
            t->timer_due += t->timer_period;
        } while ((int32_t)(now - t->timer_due) >= 0);
        timer_insert(t);
        signal_raise(t, CMRX_SIGALRM);
    }
}

int32_t sys_setitimer(uint32_t period_us)
{
    struct cmrx_thread *self = cmrx_sched.current;
    timer_cancel(self);
    if (period_us == 0) {
        return CMRX_OK;
    }
    uint32_t period = (period_us + CMRX_TICK_US - 1u) / CMRX_TICK_US;
    self->timer_period = period;
    self->timer_due = time_ticks() + period;
    timer_insert(self);
    return CMRX_OK;
}
