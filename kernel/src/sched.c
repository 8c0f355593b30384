/* Scheduler: priority-preemptive, O(1) selection, round-robin within a priority.
 *
 * Each priority has a circular list of ready threads; ready_map has bit
 * (31 - priority) set when that list is non-empty, so the highest ready
 * priority is one count-leading-zeros away. The running thread stays in its
 * list, at the head; round-robin moves the head to the tail.
 *
 * The lists are singly linked and anchored at their tail (whose next is the
 * head), kept as a thread slot index plus one to save RAM (and so that
 * zero, the boot state of the kernel's RAM, is an empty list): adding at
 * the tail, rotating and taking the head off are O(1); only taking another
 * thread off walks its one priority.
 */
#include "kernel.h"

struct cmrx_sched cmrx_sched;

#define NO_THREAD 0u

static uint8_t ready_tail[CMRX_PRIORITIES]; /* slot + 1, or NO_THREAD */
static uint32_t ready_map;

static uint8_t tail_of(const struct cmrx_thread *t)
{
    return (uint8_t)(t - cmrx_threads + 1);
}

static struct cmrx_thread *tail_thread(unsigned tail)
{
    return &cmrx_threads[tail - 1u];
}

void sched_init(void)
{
    for (unsigned i = 0; i < CMRX_PRIORITIES; i++) {
        ready_tail[i] = NO_THREAD;
    }
    ready_map = 0;
    cmrx_sched.current = NULL;
    cmrx_sched.next = NULL;
}

void sched_ready_add(struct cmrx_thread *t)
{
    uint8_t *tail = &ready_tail[t->priority];
    t->state = CMRX_T_READY;
    if (*tail == NO_THREAD) {
        t->next = t;
        ready_map |= 0x80000000u >> t->priority;
    } else {
        struct cmrx_thread *last = tail_thread(*tail);
        t->next = last->next;
        last->next = t;
    }
    *tail = tail_of(t);
}

void sched_ready_remove(struct cmrx_thread *t)
{
    uint8_t *tail = &ready_tail[t->priority];
    struct cmrx_thread *last = tail_thread(*tail);
    if (t->next == t) {
        *tail = NO_THREAD;
        ready_map &= ~(0x80000000u >> t->priority);
    } else {
        /* The predecessor: the tail when t is the head (the usual case,
         * the running thread blocking), else a walk round the ring. */
        struct cmrx_thread *before = last;
        while (before->next != t) {
            before = before->next;
        }
        before->next = t->next;
        if (last == t) {
            *tail = tail_of(before);
        }
    }
}

/* Inlined into sched_yield_pick(), the yield's whole scheduling step. */
static inline __attribute__((always_inline)) void rotate(unsigned priority)
{
    uint8_t *tail = &ready_tail[priority];
    if (*tail != NO_THREAD) {
        *tail = tail_of(tail_thread(*tail)->next);
    }
}

static inline __attribute__((always_inline)) struct cmrx_thread *pick(void)
{
    /* The idle thread is always ready, so ready_map is never zero. */
    return tail_thread(ready_tail[__builtin_clz(ready_map)])->next;
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
    struct cmrx_thread *h =
        ready_tail[priority] == NO_THREAD ? NULL : tail_thread(ready_tail[priority]);
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
