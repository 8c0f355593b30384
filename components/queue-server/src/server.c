/* The queue-server process: bounded queues with FIFO admission of
 * senders. No thread of its own: the methods run on the callers' threads,
 * one at a time under `lock`, and sleep (lock released) when they wait.
 *
 * A sender that finds the queue full, or others already waiting, takes a
 * waiter record and joins the queue's FIFO of waiters. Each receive that
 * frees a slot hands it to the first waiter (counted in `reserved`, so no
 * later sender can take it) and wakes it. That keeps admission in arrival
 * order whatever the senders' priorities.
 *
 * A caller whose process is killed while it is here gets CMRX_EKILLED from
 * every wait, the lock's included, and must leave at once (the kernel
 * stops it where it is after a grace of 10 ms, which would keep the lock
 * forever). So a method never waits holding the lock, and a killed sender
 * leaves without it: it marks its waiter record LEFT_* with an atomic
 * step, and whoever holds the lock next frees the record, and hands on
 * the slot promised to it. The lock is a service mutex: a caller stopped
 * holding it is found out, and the server restarts (cmrx/mutex.h).
 */
#include <stdbool.h>
#include <string.h>

#include "queue_server.h"

_Static_assert(QUEUE_WAITERS < 255u && QUEUE_POOL <= 0xFFFFu, "fields sized for these");

#define NONE     0xFFu
#define WAKE_ALL 255u /* more than any firmware has threads */

/* Waiter states: the word the waiting sender sleeps on. The lock holder
 * moves a record from WAITING only (by compare-and-swap); its sender, from
 * any of the first three to the LEFT_* one, when it was killed. */
#define W_WAITING      0u
#define W_GRANTED      1u /* a slot is reserved for it; out of the FIFO */
#define W_GONE         2u /* its queue was destroyed; out of the FIFO */
#define W_LEFT         3u /* killed while waiting: still in the FIFO */
#define W_LEFT_GRANTED 4u /* killed after a slot was reserved for it */
#define W_LEFT_GONE    5u

struct queue {
    bool used;
    uint8_t consumer;        /* process index */
    uint8_t first, last;     /* FIFO of waiting senders (waiter indices) or NONE */
    uint16_t depth;          /* messages */
    uint16_t msg_size;       /* bytes */
    uint16_t slot;           /* bytes a message takes in the pool: its length word + data */
    uint16_t offset;         /* of its slots in the pool */
    uint16_t head;           /* slot of the oldest message */
    uint16_t reserved;       /* free slots promised to woken waiters */
    volatile uint32_t count; /* messages in it; receivers sleep on it */
    uint32_t gen;            /* bumped when it is destroyed */
};

struct waiter {
    bool busy;
    uint8_t next;
    uint8_t queue;           /* its queue's id */
    uint32_t gen;            /* and that queue's generation when it came */
    volatile uint32_t state;
};

static struct queue queues[QUEUE_MAX];
static struct waiter waiters[QUEUE_WAITERS];
static uint32_t pool[QUEUE_POOL / 4u];
static cmrx_svc_mutex_t lock = CMRX_SVC_MUTEX_INIT;

static int leave(int rc)
{
    cmrx_svc_mutex_unlock(&lock);
    return rc;
}

/* Move waiter @p w from WAITING to @p to; false if its sender left. */
static bool waiter_move(uint8_t w, uint32_t to)
{
    uint32_t s = W_WAITING;
    return __atomic_compare_exchange_n(&waiters[w].state, &s, to, false, __ATOMIC_ACQ_REL,
                                       __ATOMIC_ACQUIRE);
}

/* A slot of @p q is free: promise it to the first waiter still there. */
static void grant(struct queue *q)
{
    for (uint8_t w = q->first; w != NONE; w = q->first) {
        q->first = waiters[w].next;
        if (q->first == NONE) {
            q->last = NONE;
        }
        if (waiter_move(w, W_GRANTED)) {
            q->reserved++;
            cmrx_notify(&waiters[w].state, 1);
            return;
        }
        waiters[w].busy = false; /* LEFT */
    }
}

static void unlink_waiter(struct queue *q, uint8_t w)
{
    uint8_t *link = &q->first;
    uint8_t prev = NONE;
    while (*link != w) {
        if (*link == NONE) {
            return; /* not in this FIFO (cannot happen: kept safe anyway) */
        }
        prev = *link;
        link = &waiters[*link].next;
    }
    *link = waiters[w].next;
    if (q->last == w) {
        q->last = prev;
    }
}

/* Free the records of killed senders: out of their FIFO, and a slot
 * promised to one goes to the next waiter. */
static void sweep(void)
{
    for (uint8_t w = 0; w < QUEUE_WAITERS; w++) {
        struct waiter *r = &waiters[w];
        uint32_t s = __atomic_load_n(&r->state, __ATOMIC_ACQUIRE);
        if (!r->busy || s < W_LEFT) {
            continue;
        }
        struct queue *q = &queues[r->queue];
        if (s == W_LEFT) {
            unlink_waiter(q, w); /* a destroy or grant would have freed it */
        } else if (s == W_LEFT_GRANTED && q->used && q->gen == r->gen) {
            q->reserved--;
            grant(q);
        }
        r->busy = false;
    }
}

/* Take the lock and tidy up after killed senders. Fails (CMRX_EKILLED)
 * only for a thread of a killed process, which then leaves at once. A
 * holder the kernel stopped mid-call (kept from returning by busier
 * threads) may have left a queue half-updated: the server restarts. */
static int enter(void)
{
    int rc = cmrx_svc_mutex_lock_or_restart(&lock, "queue-server");
    if (rc == CMRX_OK) {
        sweep();
    }
    return rc;
}

/* A killed sender leaves its record for the lock holder to free. */
static void abandon(struct waiter *me)
{
    uint32_t s = W_WAITING;
    if (!__atomic_compare_exchange_n(&me->state, &s, W_LEFT, false, __ATOMIC_ACQ_REL,
                                     __ATOMIC_ACQUIRE)) {
        /* Granted or gone: nobody but this thread moves it now. */
        __atomic_store_n(&me->state, s == W_GRANTED ? W_LEFT_GRANTED : W_LEFT_GONE,
                         __ATOMIC_RELEASE);
    }
}

static uint32_t time_left(uint32_t start, uint32_t timeout_us)
{
    if (timeout_us == CMRX_FOREVER) {
        return CMRX_FOREVER;
    }
    uint32_t spent = cmrx_time_us() - start;
    return spent >= timeout_us ? 0 : timeout_us - spent;
}

/* ---- parts of the pool kept for named processes ------------------------------ */

/* The setting `reserve` ("BYTES:name,..."): each entry is a part of the
 * pool, carved from its end in the list's order, where only that process
 * makes queues; the others share what is left below them (the rest). So
 * a process that makes queues and destroys none cannot leave a kept one
 * without room, and a part is never cut up by another's queues. Names
 * are the firmware's; their pids are looked up once (-1: no such
 * process, the part is nobody's). */
struct part {
    int8_t pid;
    uint16_t lo, hi; /* [lo, hi) of the pool */
};
static struct part parts[QUEUE_MAX];
static uint8_t n_parts;
static uint16_t rest_end = QUEUE_POOL; /* the rest is [0, rest_end) */
static bool parts_known;

static void parts_lookup(void)
{
    uint32_t n;
    int pid;
    const char *e = QUEUE_SERVER_RESERVE;
    /* The build checked the sizes: multiples of 4, together within the pool. */
    while (n_parts < QUEUE_MAX && (e = cmrx_counts_next(e, &n, &pid)) != NULL && n <= rest_end) {
        parts[n_parts].pid = (int8_t)pid;
        parts[n_parts].hi = rest_end;
        rest_end = (uint16_t)(rest_end - n);
        parts[n_parts++].lo = rest_end;
    }
    parts_known = true;
}

/* The part of the pool kept for process @p pid, or NULL. */
static const struct part *part_of(int pid)
{
    for (unsigned k = 0; k < n_parts; k++) {
        if (parts[k].pid == pid) {
            return &parts[k];
        }
    }
    return NULL;
}

/* Lowest offset in [lo, hi) where @p need bytes fit between the existing
 * queues, or -1. */
static int pool_find(uint32_t need, uint32_t lo, uint32_t hi)
{
    int best = -1;
    for (unsigned c = 0; c <= QUEUE_MAX; c++) {
        uint32_t at = lo;
        if (c < QUEUE_MAX) {
            if (!queues[c].used) {
                continue;
            }
            at = queues[c].offset + (uint32_t)queues[c].depth * queues[c].slot;
        }
        if (at < lo || at + need > hi || (best >= 0 && at >= (uint32_t)best)) {
            continue;
        }
        bool clear = true;
        for (unsigned i = 0; i < QUEUE_MAX && clear; i++) {
            const struct queue *q = &queues[i];
            uint32_t end = q->offset + (uint32_t)q->depth * q->slot;
            clear = !q->used || at + need <= q->offset || at >= end;
        }
        if (clear) {
            best = (int)at;
        }
    }
    return best;
}

static uint32_t *slot_at(const struct queue *q, uint32_t index)
{
    return &pool[(q->offset + index * q->slot) / 4u];
}

/* Append a message; there is room. */
static void put(struct queue *q, const void *buf, uint32_t len)
{
    uint32_t *s = slot_at(q, (q->head + q->count) % q->depth);
    s[0] = len;
    memcpy(&s[1], buf, len);
    q->count++;
    cmrx_notify(&q->count, 1);
}

static int qs_create(struct queue_server *self, uint32_t id, uint32_t depth, uint32_t msg_size)
{
    (void)self;
    if (id >= QUEUE_MAX || depth == 0 || msg_size == 0 || msg_size > QUEUE_MSG_MAX) {
        return CMRX_EINVAL;
    }
    int caller = cmrx_rpc_caller();
    /* A queue the build keeps for a process is that process's alone,
     * whether it runs or not: neither made first nor taken over by another. */
    if (cmrx_owner_check(QUEUE_SERVER_OWNERS, id, (unsigned)caller) != CMRX_OK) {
        return CMRX_EPERM;
    }
    if (enter() != CMRX_OK) {
        return CMRX_EKILLED;
    }
    if (!parts_known) {
        parts_lookup();
    }
    struct queue *q = &queues[id];
    if (q->used) {
        /* Its consumer again (say, restarted), or a process taking over
         * from a killed consumer: the queue and its messages carry on.
         * Not a queue in a part of the pool: that stays its process's. */
        bool same = q->depth == depth && q->msg_size == msg_size;
        bool mine = q->consumer == (uint8_t)caller;
        /* Killed for good: a consumer waiting for its restart keeps it. */
        if (!mine && cmrx_process_control(q->consumer, CMRX_PROC_STATE) == CMRX_PROC_KILLED) {
            if (q->offset >= rest_end) {
                return leave(CMRX_EPERM);
            }
            mine = true;
        }
        if (!same || !mine) {
            return leave(QUEUE_EEXIST);
        }
        q->consumer = (uint8_t)caller;
        return leave(CMRX_OK);
    }
    uint32_t slot = 4u + ((msg_size + 3u) & ~3u);
    if (depth > QUEUE_POOL / slot) {
        return leave(QUEUE_ENOMEM);
    }
    /* Its own part first, if it has one; then the rest. */
    int at = -1;
    const struct part *part = part_of(caller);
    if (part != NULL) {
        at = pool_find(depth * slot, part->lo, part->hi);
    }
    if (at < 0) {
        at = pool_find(depth * slot, 0, rest_end);
    }
    if (at < 0) {
        return leave(QUEUE_ENOMEM);
    }
    q->consumer = (uint8_t)caller;
    q->first = q->last = NONE;
    q->depth = (uint16_t)depth;
    q->msg_size = (uint16_t)msg_size;
    q->slot = (uint16_t)slot;
    q->offset = (uint16_t)at;
    q->head = 0;
    q->reserved = 0;
    q->count = 0;
    q->used = true;
    return leave(CMRX_OK);
}

/* Look up queue @p id for its consumer; locks on success. */
static int enter_consumer(uint32_t id, struct queue **out)
{
    if (id >= QUEUE_MAX) {
        return QUEUE_ENOENT;
    }
    if (enter() != CMRX_OK) {
        return CMRX_EKILLED;
    }
    struct queue *q = &queues[id];
    if (!q->used) {
        return leave(QUEUE_ENOENT);
    }
    if (q->consumer != (uint8_t)cmrx_rpc_caller()) {
        return leave(CMRX_EPERM);
    }
    *out = q;
    return CMRX_OK;
}

static int qs_destroy(struct queue_server *self, uint32_t id)
{
    (void)self;
    struct queue *q;
    int rc = enter_consumer(id, &q);
    if (rc != CMRX_OK) {
        return rc;
    }
    for (uint8_t w = q->first, next; w != NONE; w = next) {
        next = waiters[w].next;
        if (waiter_move(w, W_GONE)) {
            cmrx_notify(&waiters[w].state, 1);
        } else {
            waiters[w].busy = false; /* LEFT */
        }
    }
    q->first = q->last = NONE;
    q->used = false;
    q->gen++;
    q->count = 0xFFFFFFFFu; /* a receiver about to sleep on 0 does not */
    cmrx_notify(&q->count, WAKE_ALL);
    return leave(CMRX_OK);
}

static int qs_send(struct queue_server *self, uint32_t id, const void *buf, uint32_t len,
                   uint32_t timeout_us)
{
    (void)self;
    if (id >= QUEUE_MAX) {
        return QUEUE_ENOENT;
    }
    uint32_t start = cmrx_time_us();
    if (enter() != CMRX_OK) {
        return CMRX_EKILLED;
    }
    struct queue *q = &queues[id];
    if (!q->used) {
        return leave(QUEUE_ENOENT);
    }
    if (len > q->msg_size) {
        return leave(QUEUE_EMSGSIZE);
    }
    if (len > 0 && cmrx_rpc_buffer(buf, len) != CMRX_OK) {
        return leave(CMRX_EFAULT);
    }
    if (q->first == NONE && q->count + q->reserved < q->depth) {
        put(q, buf, len);
        return leave(CMRX_OK);
    }
    if (timeout_us == 0) {
        return leave(CMRX_ETIMEDOUT);
    }
    uint8_t w = 0;
    while (w < QUEUE_WAITERS && waiters[w].busy) {
        w++;
    }
    if (w == QUEUE_WAITERS) {
        return leave(CMRX_EAGAIN);
    }
    struct waiter *me = &waiters[w];
    me->busy = true;
    me->state = W_WAITING;
    me->next = NONE;
    me->queue = (uint8_t)id;
    me->gen = q->gen;
    if (q->first == NONE) {
        q->first = w;
    } else {
        waiters[q->last].next = w;
    }
    q->last = w;
    int rc;
    for (;;) {
        if (me->state == W_GRANTED) {
            /* Unless its queue was destroyed since (and maybe made again
             * in the same place of the pool). */
            rc = QUEUE_ENOENT;
            if (q->used && q->gen == me->gen) {
                q->reserved--;
                put(q, buf, len);
                rc = CMRX_OK;
            }
            break;
        }
        if (me->state == W_GONE) {
            rc = QUEUE_ENOENT;
            break;
        }
        uint32_t left = time_left(start, timeout_us);
        if (left == 0) {
            unlink_waiter(q, w);
            rc = CMRX_ETIMEDOUT;
            break;
        }
        cmrx_svc_mutex_unlock(&lock);
        if (cmrx_wait(&me->state, W_WAITING, left) == CMRX_EKILLED || enter() != CMRX_OK) {
            abandon(me);
            return CMRX_EKILLED;
        }
    }
    me->busy = false;
    return leave(rc);
}

static int qs_receive(struct queue_server *self, uint32_t id, void *buf, uint32_t size,
                      uint32_t timeout_us)
{
    (void)self;
    uint32_t start = cmrx_time_us();
    struct queue *q;
    int rc = enter_consumer(id, &q);
    if (rc != CMRX_OK) {
        return rc;
    }
    if (size > 0 && cmrx_rpc_buffer(buf, size) != CMRX_OK) {
        return leave(CMRX_EFAULT);
    }
    uint32_t gen = q->gen;
    while (q->count == 0) {
        uint32_t left = time_left(start, timeout_us);
        if (left == 0) {
            return leave(CMRX_ETIMEDOUT);
        }
        cmrx_svc_mutex_unlock(&lock);
        if (cmrx_wait(&q->count, 0, left) == CMRX_EKILLED || enter() != CMRX_OK) {
            return CMRX_EKILLED;
        }
        if (q->gen != gen) {
            return leave(QUEUE_ENOENT);
        }
    }
    const uint32_t *s = slot_at(q, q->head);
    uint32_t len = s[0];
    if (len > size) {
        return leave(QUEUE_EMSGSIZE);
    }
    memcpy(buf, &s[1], len);
    q->head = (uint16_t)((q->head + 1u) % q->depth);
    q->count--;
    grant(q);
    return leave((int)len);
}

static int qs_pending(struct queue_server *self, uint32_t id)
{
    (void)self;
    if (id >= QUEUE_MAX) {
        return QUEUE_ENOENT;
    }
    if (enter() != CMRX_OK) {
        return CMRX_EKILLED;
    }
    const struct queue *q = &queues[id];
    return leave(q->used ? (int)q->count : QUEUE_ENOENT);
}

CMRX_VTABLE(struct queue_server_vtable, queue_vtable) = {qs_create, qs_destroy, qs_send, qs_receive,
                                                         qs_pending};
CMRX_EXPORT struct queue_server queue_service = {&queue_vtable};
