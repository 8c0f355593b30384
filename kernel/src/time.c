/* Kernel time: the tick counter, the due queues and the microsecond clock.
 *
 * Every blocked thread with a deadline (sleep, or a wait with a timeout)
 * and every armed periodic timer sits in the due queue of its thread's
 * priority, in tick order: a balanced tree, so that queuing or taking out
 * an entry costs O(log n) however many a process queues (a list walk
 * grew with them). A tick does a bounded amount of due work
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
static struct cmrx_deadline_queue due_head[CMRX_PRIORITIES];
static uint32_t due_map; /* bit 31 - p: due_head[p] is not empty */

/* Tick a minus tick b: negative if a comes first (wrap-safe). */
static int32_t tick_diff(uint32_t a, uint32_t b)
{
    return (int32_t)(a - b);
}

static bool tick_before(uint32_t a, uint32_t b)
{
    return tick_diff(a, b) < 0;
}

void time_init(uint32_t start_tick)
{
    ticks = start_tick;
}

void due_init(void)
{
    for (unsigned i = 0; i < CMRX_PRIORITIES; i++) {
        due_head[i].root = NULL;
        due_head[i].first = NULL;
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

/* Point whatever held `old` (its parent's link, or q's root) at `now`. */
static void deadline_relink(struct cmrx_deadline_queue *q, struct cmrx_deadline *parent,
                            const struct cmrx_deadline *old, struct cmrx_deadline *now)
{
    if (parent == NULL) {
        q->root = now;
    } else {
        parent->link[parent->link[1] == old] = now;
    }
}

/* The entry due soonest in the subtree at n. */
static struct cmrx_deadline *deadline_leftmost(struct cmrx_deadline *n)
{
    while (n->link[0] != NULL) {
        n = n->link[0];
    }
    return n;
}

/* Rotate x down to side `dir` of its child on the other side, which takes
 * its place; in-order (due order, FIFO among equals) stays. */
static struct cmrx_deadline *deadline_rotate(struct cmrx_deadline_queue *q, struct cmrx_deadline *x,
                                             unsigned dir)
{
    struct cmrx_deadline *z = x->link[!dir];
    struct cmrx_deadline *t = z->link[dir];
    x->link[!dir] = t;
    if (t != NULL) {
        t->parent = x;
    }
    z->link[dir] = x;
    z->parent = x->parent;
    deadline_relink(q, x->parent, x, z);
    x->parent = z;
    return z;
}

/* x leans two levels to one side: rotate it back into balance. True if
 * its subtree lost a level (always after an insertion; after a removal,
 * unless x's heavy child was level). */
static bool deadline_rebalance(struct cmrx_deadline_queue *q, struct cmrx_deadline *x)
{
    unsigned s = x->balance > 0; /* the heavy side */
    int8_t sgn = s ? 1 : -1;
    struct cmrx_deadline *z = x->link[s];
    if (z->balance == -sgn) { /* z leans inwards: its inner child y rises twice */
        struct cmrx_deadline *y = z->link[!s];
        deadline_rotate(q, z, s);
        deadline_rotate(q, x, !s);
        x->balance = y->balance == sgn ? (int8_t)-sgn : 0;
        z->balance = y->balance == -sgn ? sgn : 0;
        y->balance = 0;
        return true;
    }
    deadline_rotate(q, x, !s);
    if (z->balance == 0) {
        x->balance = sgn;
        z->balance = (int8_t)-sgn;
        return false;
    }
    x->balance = 0;
    z->balance = 0;
    return true;
}

void deadline_insert(struct cmrx_deadline_queue *q, struct cmrx_deadline *d)
{
    uint32_t due = d->due;
    struct cmrx_deadline *p = NULL;
    struct cmrx_deadline **at = &q->root;
    while (*at != NULL) {
        p = *at;
        int32_t diff = tick_diff(due, p->due);
        if (diff == 0) { /* behind its equals: last in the ring */
            struct cmrx_deadline *last = p->prev;
            d->next = p;
            d->prev = last;
            last->next = d;
            p->prev = d;
            d->queued = CMRX_DL_MEMBER;
            return;
        }
        at = &p->link[diff > 0];
    }
    d->link[0] = NULL;
    d->link[1] = NULL;
    d->parent = p;
    d->next = d;
    d->prev = d;
    d->balance = 0;
    d->queued = CMRX_DL_FIRST;
    *at = d;
    if (q->first == NULL || tick_before(due, q->first->due)) {
        q->first = d;
    }
    /* Up from d while a subtree grew: at most one rotation ends it. */
    for (struct cmrx_deadline *n = d; p != NULL; n = p, p = p->parent) {
        p->balance = (int8_t)(p->balance + (p->link[1] == n ? 1 : -1));
        if (p->balance == 0) {
            break;
        }
        if (p->balance != 1 && p->balance != -1) {
            deadline_rebalance(q, p);
            break;
        }
    }
}

struct cmrx_deadline *deadline_due(const struct cmrx_deadline_queue *q, uint32_t now)
{
    struct cmrx_deadline *d = q->first;
    return d != NULL && !tick_before(now, d->due) ? d : NULL;
}

void deadline_remove(struct cmrx_deadline_queue *q, struct cmrx_deadline *d)
{
    unsigned queued = d->queued;
    if (queued == CMRX_DL_IDLE) {
        return;
    }
    d->queued = CMRX_DL_IDLE;
    struct cmrx_deadline *n = d->next;
    n->prev = d->prev;
    d->prev->next = n;
    struct cmrx_deadline *p = d->parent;
    if (queued == CMRX_DL_MEMBER) {
        return;
    }
    if (n != d) { /* the next of its bucket takes its place in the tree */
        for (unsigned i = 0; i < 2u; i++) {
            n->link[i] = d->link[i];
            if (d->link[i] != NULL) {
                d->link[i]->parent = n;
            }
        }
        n->parent = p;
        n->balance = d->balance;
        n->queued = CMRX_DL_FIRST;
        deadline_relink(q, p, d, n);
        if (q->first == d) {
            q->first = n;
        }
        return;
    }
    if (q->first == d) { /* no earlier bucket (so no link[0]): the next one is first */
        q->first = d->link[1] != NULL ? deadline_leftmost(d->link[1]) : p;
    }
    unsigned dir; /* p's subtree on side dir lost a level */
    if (d->link[0] != NULL && d->link[1] != NULL) {
        /* Its successor s (no earlier child) takes its place. */
        struct cmrx_deadline *s = deadline_leftmost(d->link[1]);
        if (s->parent == d) {
            p = s;
            dir = 1;
        } else {
            p = s->parent;
            dir = 0;
            p->link[0] = s->link[1];
            if (s->link[1] != NULL) {
                s->link[1]->parent = p;
            }
            s->link[1] = d->link[1];
            d->link[1]->parent = s;
        }
        s->link[0] = d->link[0];
        d->link[0]->parent = s;
        s->parent = d->parent;
        s->balance = d->balance;
        deadline_relink(q, d->parent, d, s);
    } else {
        struct cmrx_deadline *c = d->link[d->link[0] == NULL];
        dir = p != NULL && p->link[1] == d;
        if (c != NULL) {
            c->parent = p;
        }
        deadline_relink(q, p, d, c);
    }
    /* Up from p while a subtree shrank: each rebalance is one or two
     * rotations, and there are at most log n of them. */
    while (p != NULL) {
        struct cmrx_deadline *g = p->parent;
        unsigned gdir = g != NULL && g->link[1] == p;
        p->balance = (int8_t)(p->balance + (dir ? -1 : 1));
        if (p->balance == 1 || p->balance == -1) {
            break; /* it was level: its height stays */
        }
        if (p->balance != 0 && !deadline_rebalance(q, p)) {
            break;
        }
        p = g;
        dir = gdir;
    }
}

void due_add(unsigned priority, struct cmrx_deadline *d)
{
    deadline_insert(&due_head[priority], d);
    due_map |= 0x80000000u >> priority;
}

void due_remove(unsigned priority, struct cmrx_deadline *d)
{
    deadline_remove(&due_head[priority], d);
    if (due_head[priority].root == NULL) {
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
    /* Raised, its due work may be held for a thread it is no longer
     * below: the deferred step looks again (and holds it again if it
     * still is). */
    if (t->priority < old && deadline_due(&due_head[t->priority], ticks) != NULL) {
        time_held_due();
    }
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

/* Whether a thread above priority prio is ready, the threads of
 * interrupts that came meanwhile included: prio's due work would then
 * only delay it. The work stays due, held until none is (sched_hold()). */
static bool outranked(unsigned prio)
{
    kernel_deferred_wakeups();
    if (sched_pick()->priority < prio) {
        sched_hold(prio);
        return true;
    }
    return false;
}

/* Serve up to `work` due entries; return how many more it could have. */
static unsigned due_work(uint32_t now, unsigned work)
{
    /* First the entry due longest (the higher priority's of equals):
     * higher priorities' due work that recurs every tick would otherwise
     * keep a lower priority's wake-up from ever being delivered, though
     * the processor is free (the queue-server test's consumer). */
    struct cmrx_deadline *oldest = NULL;
    unsigned oldest_prio = 0;
    for (uint32_t map = due_map; map != 0;) {
        unsigned prio = (unsigned)__builtin_clz(map);
        map &= ~(0x80000000u >> prio);
        struct cmrx_deadline *d = deadline_due(&due_head[prio], now);
        if (d != NULL && (oldest == NULL || tick_before(d->due, oldest->due))) {
            oldest = d;
            oldest_prio = prio;
        }
    }
    if (oldest != NULL && !outranked(oldest_prio)) {
        due_serve(oldest_prio, oldest, now);
        work--;
    }
    /* Then the highest priority's: many threads of a low priority cannot
     * keep a higher one waiting (a_tickflood). */
    for (uint32_t map = due_map; work != 0 && map != 0;) {
        unsigned prio = (unsigned)__builtin_clz(map);
        struct cmrx_deadline *d = deadline_due(&due_head[prio], now);
        if (d == NULL) {
            map &= ~(0x80000000u >> prio);
            continue;
        }
        if (outranked(prio)) {
            break; /* and every lower priority's */
        }
        due_serve(prio, d, now);
        work--;
    }
    return work;
}

/* A tick's due work and reaps; true if a restart chunk was among them.
 * A restart never waits for timers: it gets one reap at least. An
 * interrupt that came during this has its thread ready first, so that a
 * chunk below that thread's priority waits for it. */
static bool tick_work(uint32_t now)
{
    unsigned work = due_work(now, CMRX_TICK_WORK);
    kernel_deferred_wakeups();
    return process_reap_due(now, work != 0 ? work : 1u);
}

void time_held_due(void)
{
    kernel_defer(CMRX_DEFERRED_HELD);
}

void time_held_work(void)
{
    (void)tick_work(ticks);
}

void cmrx_kernel_tick(void)
{
    uint32_t now = ticks + 1u;
    ticks = now;
    /* A tick does at most CMRX_TICK_WORK wake-ups, timer expiries and
     * reaps, so that it stays short whatever is due: what is left is due
     * still, and the next ticks take it (deadlines do not drift). Work
     * below a ready thread's priority waits until no such thread is
     * ready (time_held_work()): a driver woken by an interrupt just
     * before the tick runs first. A tick initialises a chunk of a
     * restarting process or hashes slices of an update, not both. */
    if (!tick_work(now) && cmrx_updater != NULL) {
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
