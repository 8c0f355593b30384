/* Periodic timers (setitimer): each expiry raises CMRX_SIGALRM in the
 * thread that armed it. Armed timers sit in the due queue of their
 * thread's priority (time.c), sorted by due tick; deadlines advance by
 * whole periods from the first one, so they never drift, and a thread
 * that fell behind gets one signal, not a burst. A thread takes a timer
 * from its process's declared slots on its first cmrx_setitimer() and
 * gives it back on exit. */
#include "kernel.h"

#include <cmrx/signal.h>

void timer_init(void)
{
    due_init(); /* armed timers are in the due queues, with the timeouts */
}

/* The timer of process p that `owner` holds (NULL: a free one), or NULL.
 * Not inlined: at -Os GCC would copy it into both callers. */
__attribute__((noinline)) static struct cmrx_timer *timer_find(const struct cmrx_process *p,
                                                               const struct cmrx_thread *owner)
{
    for (unsigned i = 0; i < p->max_timers; i++) {
        struct cmrx_timer *tm = &cmrx_timers[p->first_timer + i];
        if (tm->owner == owner) {
            return tm;
        }
    }
    return NULL;
}

void timer_cancel(struct cmrx_thread *t)
{
    struct cmrx_timer *tm = timer_find(t->process, t);
    if (tm != NULL) {
        due_remove(t->priority, &tm->deadline);
        tm->owner = NULL;
    }
}

void timer_moved(struct cmrx_thread *t, unsigned old)
{
    struct cmrx_timer *tm = timer_find(t->process, t);
    if (tm != NULL) {
        due_remove(old, &tm->deadline);
        due_add(t->priority, &tm->deadline);
    }
}

void timer_expire(struct cmrx_deadline_queue *q, uint32_t now)
{
    struct cmrx_timer *tm = (struct cmrx_timer *)(void *)q->first; /* its first member */
    deadline_remove(q, &tm->deadline);
    /* The first period boundary after now: a late timer catches up in one
     * step, with one signal. (Its queue is not empty after: it is in it.) */
    tm->deadline.due += ((now - tm->deadline.due) / tm->period + 1u) * tm->period;
    deadline_insert(q, &tm->deadline);
    signal_raise(tm->owner, CMRX_SIGALRM);
}

int32_t sys_setitimer(uint32_t period_us)
{
    struct cmrx_thread *self = cmrx_sched.current;
    if (thread_in_method(self)) {
        return CMRX_EPERM; /* the thread's timer is its own, not a method's */
    }
    timer_cancel(self); /* a new period starts afresh */
    if (period_us == 0) {
        return CMRX_OK;
    }
    struct cmrx_timer *tm = timer_find(self->process, NULL);
    if (tm == NULL) {
        return CMRX_EAGAIN; /* all the process's timers are taken, or it declared none */
    }
    tm->owner = self;
    /* Whole ticks, rounded up without overflow: at least one. */
    tm->period = period_us / CMRX_TICK_US + (period_us % CMRX_TICK_US != 0u);
    tm->deadline.due = time_ticks() + tm->period;
    due_add(self->priority, &tm->deadline);
    return CMRX_OK;
}
