/* Scheduler: priority-preemptive, O(1) selection, round-robin within a priority.
 *
 * Each priority has a circular list of ready threads; ready_map has bit
 * (31 - priority) set when that list is non-empty, so the highest ready
 * priority is one count-leading-zeros away. The running thread stays in its
 * list; the list head is the thread that runs next at that priority, and
 * rotating the head gives round-robin.
 */
#include "kernel.h"

struct cmrx_sched cmrx_sched;

static struct cmrx_thread *ready_head[CMRX_PRIORITIES];
static uint32_t ready_map;

void sched_init(void)
{
    for (unsigned i = 0; i < CMRX_PRIORITIES; i++) {
        ready_head[i] = NULL;
    }
    ready_map = 0;
    cmrx_sched.current = NULL;
    cmrx_sched.next = NULL;
}

void sched_ready_add(struct cmrx_thread *t)
{
    struct cmrx_thread **head = &ready_head[t->priority];
    t->state = CMRX_T_READY;
    if (*head == NULL) {
        t->next = t;
        t->prev = t;
        *head = t;
        ready_map |= 0x80000000u >> t->priority;
    } else {
        /* Insert at the tail, i.e. just before the head. */
        struct cmrx_thread *h = *head;
        t->next = h;
        t->prev = h->prev;
        h->prev->next = t;
        h->prev = t;
    }
}

void sched_ready_remove(struct cmrx_thread *t)
{
    struct cmrx_thread **head = &ready_head[t->priority];
    if (t->next == t) {
        *head = NULL;
        ready_map &= ~(0x80000000u >> t->priority);
    } else {
        t->prev->next = t->next;
        t->next->prev = t->prev;
        if (*head == t) {
            *head = t->next;
        }
    }
    t->next = NULL;
    t->prev = NULL;
}

void sched_rotate(unsigned priority)
{
    struct cmrx_thread *h = ready_head[priority];
    if (h != NULL) {
        ready_head[priority] = h->next;
    }
}

struct cmrx_thread *sched_pick(void)
{
    /* The idle thread is always ready, so ready_map is never zero. */
    return ready_head[__builtin_clz(ready_map)];
}

void sched_reschedule(void)
{
    struct cmrx_thread *next = sched_pick();
    cmrx_sched.next = next;
    if (next != cmrx_sched.current) {
        port_request_switch();
    }
}

unsigned sched_ready_count(unsigned priority)
{
    unsigned n = 0;
    struct cmrx_thread *h = ready_head[priority];
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
