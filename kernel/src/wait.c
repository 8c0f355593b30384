/* Waiting on a word and notifying it, from threads and from interrupts.
 *
 * Waiters sit in buckets chosen by the word's address, each sorted by
 * priority and, among equals, by the order they started waiting. A notify
 * wakes the first waiters of its word in one pass over one bucket, so
 * waking k threads costs one walk, not k, and words in other buckets cost
 * nothing. Sorting happens when a thread starts waiting (a walk of one
 * bucket, bounded by the thread count).
 *
 * Interrupt handlers run above the kernel's priority and must not touch
 * kernel lists: they post the object to a small lock-free ring and raise
 * PendSV, whose deferred-work step (cmrx_kernel_deferred) wakes the waiters.
 */
#include "kernel.h"

#include <cmrx/wait.h>

#define WAIT_BUCKETS 8u /* a power of two */
static struct cmrx_thread *wait_heads[WAIT_BUCKETS];

static struct cmrx_thread **wait_bucket(const void *obj)
{
    /* Words are word-aligned and objects of one process often 32 bytes
     * apart: fold bits above both into the index. */
    uintptr_t a = (uintptr_t)obj;
    return &wait_heads[((a >> 2) ^ (a >> 5)) & (WAIT_BUCKETS - 1u)];
}

union cmrx_deferred cmrx_deferred_pending;

/* Objects notified from interrupt context, consumed in PendSV. One
 * producer side per interrupt priority level is fine: slots are claimed
 * with an atomic increment. */
#define ISR_RING 4u
static const void *volatile isr_ring[ISR_RING];
static volatile uint32_t isr_head; /* next slot to claim (producers) */
static uint32_t isr_tail;          /* next slot to consume (kernel) */

/* The last word notify found in a process's memory (1 before any: never
 * a word). Where processes' memory lies never changes, so a doorbell rung
 * again needs no second search. */
static uintptr_t notify_known;

void wait_init(void)
{
    for (unsigned i = 0; i < WAIT_BUCKETS; i++) {
        wait_heads[i] = NULL;
    }
    isr_head = 0;
    isr_tail = 0;
    notify_known = 1;
    cmrx_deferred_pending.any = 0;
}

void wait_list_append(struct cmrx_thread *t)
{
    /* Behind every waiter of higher or equal priority (a lower number). */
    struct cmrx_thread **link = wait_bucket(t->wait_obj);
    while (*link != NULL && (*link)->priority <= t->priority) {
        link = &(*link)->next;
    }
    t->next = *link;
    *link = t;
}

void wait_list_remove(struct cmrx_thread *t)
{
    struct cmrx_thread **link = wait_bucket(t->wait_obj);
    while (*link != t) {
        link = &(*link)->next;
    }
    *link = t->next;
}

unsigned wait_notify(const void *obj, unsigned count, int32_t result)
{
    unsigned woken = 0;
    struct cmrx_thread **link = wait_bucket(obj);
    while (woken < count && *link != NULL) {
        struct cmrx_thread *t = *link;
        if (t->wait_obj != obj) {
            link = &t->next;
            continue;
        }
        *link = t->next; /* unlinked here: thread_resume() does the rest */
        thread_resume(t, result);
        woken++;
    }
    return woken;
}

struct cmrx_thread *wait_first(const void *obj)
{
    struct cmrx_thread *t = *wait_bucket(obj);
    while (t != NULL && t->wait_obj != obj) {
        t = t->next;
    }
    return t;
}

static bool word_ok(const volatile uint32_t *word)
{
    return ((uintptr_t)word & 3u) == 0 &&
           access_ok(cmrx_sched.current, (const void *)(uintptr_t)word, 4, false);
}

int32_t sys_wait(const volatile uint32_t *word, uint32_t expected, uint32_t timeout_us)
{
    struct cmrx_thread *self = cmrx_sched.current;
    if (!word_ok(word)) {
        return CMRX_EFAULT;
    }
    /* No other thread runs while the kernel does: this check and going to
     * sleep are one step for everybody else. A doomed thread is told so
     * first (thread_wait() checks that on the way to sleep). */
    if (*word != expected) {
        return thread_doomed(self) ? CMRX_EKILLED : CMRX_EAGAIN;
    }
    /* The waker sets the result: OK, ETIMEDOUT or EINTR. */
    return thread_wait(self, CMRX_T_WAITING, (const void *)(uintptr_t)word, timeout_us);
}

/* Notify never reads the word, and a wake-up is always safe (waiters
 * re-check their condition), so any process's word may be rung: that is
 * how one process wakes another's thread. Kernel addresses are refused
 * (they key interrupt waits). */
static bool notify_word_ok(const volatile uint32_t *word)
{
    uintptr_t a = (uintptr_t)word;
    if (a == notify_known) {
        return true;
    }
    if ((a & 3u) != 0) {
        return false;
    }
    if (process_of((const void *)a, 4, true) != NULL) {
        notify_known = a;
        return true;
    }
    /* Its own stack, say: an answer for this thread only, not cached. */
    return access_ok(cmrx_sched.current, (const void *)a, 4, false);
}

int32_t sys_notify(const volatile uint32_t *word, uint32_t count)
{
    if (!notify_word_ok(word)) {
        return CMRX_EFAULT;
    }
    /* Before the wake-ups it causes, so the trace shows them in order. */
    TRACE(CMRX_TR_NOTIFY, cmrx_sched.current, count < 255u ? count : 255u, 0, (uintptr_t)word);
    unsigned n = wait_notify((const void *)(uintptr_t)word, count, CMRX_OK);
    sched_reschedule();
    return (int32_t)n;
}

/** Notify one waiter of @p obj from an interrupt handler. @return 0, or -1 if the ring is full. */
int cmrx_isr_notify(const void *obj)
{
    /* Claim a slot only when there is room, so a full ring never leaves a
     * hole. Handlers nest but PendSV runs after all of them, so a claimed
     * slot is always written before the kernel reads it. */
    uint32_t slot;
    do {
        slot = isr_head;
        if (slot - isr_tail >= ISR_RING) {
            return -1;
        }
    } while (!port_atomic_cas(&isr_head, slot, slot + 1u));
    isr_ring[slot % ISR_RING] = obj;
    kernel_defer(CMRX_DEFERRED_NOTIFY);
    return 0;
}

void kernel_deferred_wakeups(void)
{
    volatile uint8_t *work = cmrx_deferred_pending.kind;
    if (work[CMRX_DEFERRED_NOTIFY]) {
        work[CMRX_DEFERRED_NOTIFY] = 0;
        uint32_t head = isr_head;
        while (isr_tail != head) {
            const void *obj = isr_ring[isr_tail % ISR_RING];
            isr_tail++;
            wait_notify(obj, 1, CMRX_OK);
        }
    }
    if (work[CMRX_DEFERRED_IRQ]) {
        work[CMRX_DEFERRED_IRQ] = 0;
        irq_deferred();
    }
}

void cmrx_kernel_deferred(void)
{
    kernel_deferred_wakeups();
    /* The kernel's own kinds, tested together: one test on an
     * interrupt's path. */
    if (cmrx_deferred_pending.kernel != 0) {
        volatile uint8_t *work = cmrx_deferred_pending.kind;
        if (work[CMRX_DEFERRED_HELD]) {
            work[CMRX_DEFERRED_HELD] = 0;
            time_held_work();
        }
        if (work[CMRX_DEFERRED_UPDATE]) {
            work[CMRX_DEFERRED_UPDATE] = 0;
            if (cmrx_updater != NULL) {
                (void)cmrx_updater->step(true); /* the running thread is saved now */
            }
        }
    }
    sched_reschedule();
}
