/* Kernel time: the tick counter, the due queues and the microsecond clock.
 *
 * Every blocked thread with a deadline (sleep, or a wait with a timeout)
 * and every armed periodic timer sits in the due queue of its thread's
 * priority, sorted by tick. A tick does a bounded amount of due work
 * (CMRX_TICK_WORK): the entry due longest, then the highest priority's.
 * With one queue in deadline order, the due work of a low-priority
 * process's many threads used up every tick's budget and a
 * higher-priority thread's wake-up waited behind it, (threads / 4) ticks
 * (tests/qemu/attacks/a_tickflood.c); with priority order alone, the
 * reverse: higher priorities' sleepers due every tick starved a lower
 * priority's wake-up for good.
 * Tick values wrap, so they are compared by the sign of their difference:
 * correct as long as no timeout is longer than 2^31 ticks (24 days at
 * 1 kHz).
 */
#include "kernel.h"

static volatile uint32_t ticks;
static struct cmrx_deadline *due_head[CMRX_PRIORITIES];
static uint32_t due_map; /* bit 31 - p: due_head[p] is not empty */

static bool tick_before(uint32_t a, uint32_t b)
{
    return (int32_t)(a - b) < 0;
}

void time_init(uint32_t start_tick)
{
    ticks = start_tick;
}

void due_init(void)
{
    for (unsigned i = 0; i < CMRX_PRIORITIES; i++) {
        due_head[i] = NULL;
    }
    due_map = 0;
}

uint32_t time_ticks(void)
{
    return ticks;
}

uint32_t time_us_to_ticks(uint32_t us)
{
    uint32_t phase = port_tick_phase_us(); /* microseconds since tick `ticks` began */
    /* Ticks until the first boundary at or after now + us; split so that
     * nothing overflows for any 32-bit us. */
    return us / CMRX_TICK_US + (phase + us % CMRX_TICK_US + CMRX_TICK_US - 1u) / CMRX_TICK_US;
}

void deadline_insert(struct cmrx_deadline **head, struct cmrx_deadline *d)
{
    /* Behind every entry due at or before d: equal deadlines keep FIFO. */
    uint32_t due = d->due;
    while (*head != NULL && !tick_before(due, (*head)->due)) {
        head = &(*head)->next;
    }
    d->next = *head;
    *head = d;
}

struct cmrx_deadline *deadline_due(struct cmrx_deadline *head, uint32_t now)
{
    return head != NULL && !tick_before(now, head->due) ? head : NULL;
}

void deadline_remove(struct cmrx_deadline **head, struct cmrx_deadline *d)
{
    for (; *head != NULL; head = &(*head)->next) {
        if (*head == d) {
            *head = d->next;
            break;
        }
    }
    d->next = NULL;
}

void due_add(unsigned priority, struct cmrx_deadline *d)
{
    deadline_insert(&due_head[priority], d);
    due_map |= 0x80000000u >> priority;
}

void due_remove(unsigned priority, struct cmrx_deadline *d)
{
    deadline_remove(&due_head[priority], d);
    if (due_head[priority] == NULL) {
        due_map &= ~(0x80000000u >> priority);
    }
}

void time_timeout_add(struct cmrx_thread *t, uint32_t wake_tick)
{
    t->timeout.due = wake_tick;
    t->flags |= CMRX_TF_TIMEOUT;
    due_add(t->priority, &t->timeout);
}

void time_timeout_cancel(struct cmrx_thread *t)
{
    due_remove(t->priority, &t->timeout);
    t->flags &= (uint8_t)~CMRX_TF_TIMEOUT;
}

void time_priority_moved(struct cmrx_thread *t, unsigned old)
{
    if (t->flags & CMRX_TF_TIMEOUT) {
        due_remove(old, &t->timeout);
        due_add(t->priority, &t->timeout);
    }
    timer_moved(t, old);
}

/* A thread's timeout, or else a periodic timer: the two kinds of entry.
 * Timers lie outside the thread table, so the last thread's timeout is
 * the highest address of the kind. */
static struct cmrx_thread *timeout_thread(struct cmrx_deadline *d)
{
    uintptr_t off = (uintptr_t)d - (uintptr_t)&cmrx_threads[0].timeout;
    return off <= (cmrx_thread_count - 1u) * sizeof(struct cmrx_thread)
               ? (struct cmrx_thread *)(void *)((uint8_t *)d -
                                                offsetof(struct cmrx_thread, timeout))
               : NULL;
}

/* Serve the due entry at the head of priority prio's queue: wake its
 * thread, or expire its timer. */
static void due_serve(unsigned prio, struct cmrx_deadline *d, uint32_t now)
{
    struct cmrx_thread *t = timeout_thread(d);
    if (t != NULL) {
        thread_wake(t, t->state == CMRX_T_SLEEPING ? CMRX_OK : CMRX_ETIMEDOUT);
    } else {
        timer_expire(&due_head[prio], now);
    }
}

void cmrx_kernel_tick(void)
{
    uint32_t now = ticks + 1u;
    ticks = now;
    /* A tick does at most CMRX_TICK_WORK wake-ups, timer expiries and
     * reaps, so that it stays short whatever is due: what is left is due
     * still, and the next ticks take it (deadlines do not drift). */
    unsigned work = CMRX_TICK_WORK;
    /* First the entry due longest (the higher priority's of equals):
     * higher priorities' due work that recurs every tick would otherwise
     * keep a lower priority's wake-up from ever being delivered, though
     * the processor is free (the queue-server test's consumer). */
    struct cmrx_deadline *oldest = NULL;
    unsigned oldest_prio = 0;
    for (uint32_t map = due_map; map != 0;) {
        unsigned prio = (unsigned)__builtin_clz(map);
        map &= ~(0x80000000u >> prio);
        struct cmrx_deadline *d = deadline_due(due_head[prio], now);
        if (d != NULL && (oldest == NULL || tick_before(d->due, oldest->due))) {
            oldest = d;
            oldest_prio = prio;
        }
    }
    if (oldest != NULL) {
        due_serve(oldest_prio, oldest, now);
        work--;
    }
    /* Then the highest priority's: many threads of a low priority cannot
     * keep a higher one waiting (a_tickflood). */
    for (uint32_t map = due_map; work != 0 && map != 0;) {
        unsigned prio = (unsigned)__builtin_clz(map);
        struct cmrx_deadline *d = deadline_due(due_head[prio], now);
        if (d == NULL) {
            map &= ~(0x80000000u >> prio);
            continue;
        }
        due_serve(prio, d, now);
        work--;
    }
    /* A restart never waits for timers; a tick initialises a chunk of a
     * restarting process or hashes slices of an update, not both. */
    if (!process_reap_due(now, work != 0 ? work : 1u) && cmrx_updater != NULL) {
        for (unsigned n = 1;
             cmrx_updater->step(false) && n < CMRX_VERIFY_SLICES && !port_switch_pending(); n++) {
        }
    }
    /* Time slice: the running thread goes behind its equals. */
    struct cmrx_thread *cur = cmrx_sched.current;
    if (cur != NULL && cur->state == CMRX_T_READY) {
        sched_rotate(cur->priority);
    }
    sched_reschedule();
}

void time_masked(uint32_t phase, uint32_t us)
{
    uint32_t wraps = (phase + us) / CMRX_TICK_US;
    if (wraps > 1u) {
        ticks += wraps - 1u; /* deadlines passed meanwhile are due at the next tick */
    }
}

int32_t sys_usleep(uint32_t us)
{
    uint32_t n = time_us_to_ticks(us);
    if (thread_doomed(cmrx_sched.current)) {
        return CMRX_EKILLED;
    }
    if (n == 0) { /* a yield */
        sched_rotate(cmrx_sched.current->priority);
        sched_reschedule();
        return CMRX_OK;
    }
    thread_block(cmrx_sched.current, CMRX_T_SLEEPING, NULL, n);
    sched_reschedule();
    return CMRX_OK;
}

int32_t sys_time_us(void)
{
    return (int32_t)(ticks * CMRX_TICK_US + port_tick_phase_us());
}
