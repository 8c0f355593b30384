/* Scheduler: priority-preemptive, O(1) selection, round-robin within a priority.
 *
 * Each priority has a circular list of ready threads; ready_map has bit
 * (31 - priority) set when that list is non-empty, so the highest ready
 * priority is one count-leading-zeros away. The running thread stays in its
 * list, at the head; round-robin moves the head to the tail.
 *
 * The lists are singly linked and anchored at their tail (whose next is the
 * head), NULL when empty (the boot state of the kernel's RAM): adding at the
 * tail, rotating and taking the head off are O(1); only taking another
 * thread off walks its one priority. The anchors are pointers, not slot
 * numbers (a byte each): 96 bytes of RAM spare the yield, the wake-up and
 * the pick the conversions between the two (13 instructions a yield).
 */
#include "kernel.h"

struct cmrx_sched cmrx_sched;

static struct cmrx_thread *ready_tail[CMRX_PRIORITIES]; /* NULL: empty */
static uint32_t ready_map;
/* Work held back for more urgent threads (sched_hold()): it resumes once
 * ready_map falls below this, when no ready thread is above the most
 * urgent held priority any more. 0: none held (ready_map is never below). */
static uint32_t held_limit;

void sched_init(void)
{
    for (unsigned i = 0; i < CMRX_PRIORITIES; i++) {
        ready_tail[i] = NULL;
    }
    ready_map = 0;
    held_limit = 0;
    cmrx_sched.current = NULL;
    cmrx_sched.next = NULL;
}

void sched_ready_add(struct cmrx_thread *t)
{
    struct cmrx_thread **tail = &ready_tail[t->priority];
    t->state = CMRX_T_READY;
    if (*tail == NULL) {
        t->next = t;
        ready_map |= 0x80000000u >> t->priority;
    } else {
        t->next = (*tail)->next;
        (*tail)->next = t;
    }
    *tail = t;
}

void sched_ready_remove(struct cmrx_thread *t)
{
    struct cmrx_thread **tail = &ready_tail[t->priority];
    struct cmrx_thread *last = *tail;
    if (t->next == t) {
        uint32_t bit = 0x80000000u >> t->priority; /* before the store, which may alias it */
        *tail = NULL;
        ready_map &= ~bit;
        /* Only here can the top ready priority fall (a thread blocks,
         * exits or is moved down and leaves its priority empty). */
        if (__builtin_expect(held_limit != 0, 0) && ready_map < held_limit) {
            held_limit = 0;
            time_held_due();
        }
    } else {
        /* The predecessor: the tail when t is the head (the usual case,
         * the running thread blocking), else a walk round the ring. */
        struct cmrx_thread *before = last;
        while (before->next != t) {
            before = before->next;
        }
        before->next = t->next;
        if (last == t) {
            *tail = before;
        }
    }
}

/* Inlined where they are used: no call on the yield's, the wake-up's or
 * the pick's path. */
static inline __attribute__((always_inline)) void rotate(unsigned priority)
{
    struct cmrx_thread **tail = &ready_tail[priority];
    if (*tail != NULL) {
        *tail = (*tail)->next;
    }
}

static inline __attribute__((always_inline)) struct cmrx_thread *pick(void)
{
    /* The idle thread is always ready, so ready_map is never zero. */
    return ready_tail[__builtin_clz(ready_map)]->next;
}

void sched_hold(unsigned priority)
{
    /* The bits of the priorities above it, and no others, are at least
     * this; priority 0 has none above it and is never held. */
    uint32_t limit = (0x80000000u >> priority) << 1;
    if (limit > held_limit) {
        held_limit = limit;
    }
}

void sched_rotate(unsigned priority)
{
    rotate(priority);
}

struct cmrx_thread *sched_pick(void)
{
    return pick();
}

struct cmrx_thread *sched_yield_pick(unsigned priority)
{
    rotate(priority);
    return pick();
}

void sched_reschedule(void)
{
    struct cmrx_thread *next = pick();
    cmrx_sched.next = next;
    if (next != cmrx_sched.current) {
        port_request_switch();
    }
}

unsigned sched_ready_count(unsigned priority)
{
    unsigned n = 0;
    struct cmrx_thread *h = ready_tail[priority];
    if (h != NULL) {
        struct cmrx_thread *t = h;
        do {
            n++;
            t = t->next;
        } while (t != h);
    }
    return n;
}

/* Called by the port when thread t is about to run (t == cmrx_sched.next):
 * delivers pending signals. Returns the thread to run, which differs from
 * t only if delivery had to kill t. */
struct cmrx_thread *cmrx_switch_in(struct cmrx_thread *t)
{
    for (;;) {
        cmrx_signal_switch_in(t);
        if (cmrx_sched.next == t || cmrx_sched.next->sig_pending == 0) {
            return cmrx_sched.next;
        }
        t = cmrx_sched.next;
    }
}
