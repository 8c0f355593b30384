/* queue-server: bounded message queues between processes.
 *
 * A server process keeps up to QUEUE_MAX queues, numbered 0 .. QUEUE_MAX -
 * 1. The process that creates a queue is its one consumer: only it may
 * receive from it or destroy it. Any process may send. A queue the
 * build keeps for a process (the `owners` setting) only that process
 * creates. Messages are copied
 * from the sender's buffer into the queue and from the queue into the
 * receiver's buffer while the call runs: both buffers must lie in the
 * calling process's CMRX_SHARED memory.
 *
 * A full queue makes senders wait (up to their timeout), and admits them
 * in the order they came, whatever their priority: a busy producer cannot
 * starve the others. Nothing sent successfully is lost.
 */
#ifndef QUEUE_SERVER_H
#define QUEUE_SERVER_H

#include <stdint.h>

#include <cmrx/cmrx.h>

#define QUEUE_MAX     8u   /**< queues the server holds */
#define QUEUE_MSG_MAX 256u /**< largest message size a queue may take */
/** Bytes for all queues' messages: each takes 4 + its size rounded up to 4. */
#define QUEUE_POOL    4096u
#define QUEUE_WAITERS 16u /**< senders that may wait on full queues at once, in all */

/* Error codes of the service (besides CMRX_EINVAL, CMRX_EPERM, CMRX_EFAULT,
 * CMRX_ETIMEDOUT, CMRX_EAGAIN). */
/** No queue with that id: never created, destroyed, or out of range. */
#define QUEUE_ENOENT (-200)
/** The message is larger than the queue's, or than the receive buffer. */
#define QUEUE_EMSGSIZE (-201)
#define QUEUE_ENOMEM   (-202) /**< create(): not enough of the pool left */
#define QUEUE_EEXIST   (-203) /**< create(): the id is taken (another consumer, other sizes) */

struct queue_server;

/** The RPC interface. */
struct queue_server_vtable {
    /**
     * Create queue @p id holding up to @p depth messages of at most
     * @p msg_size bytes; the caller becomes its consumer. If it exists with
     * the same sizes and the caller is its consumer (restarted, say) or its
     * consumer was killed, the caller becomes its consumer and its messages
     * stay. A queue kept for another process (setting `owners`) is refused,
     * and so is taking over one in a killed process's part of the pool
     * (setting `reserve`). The queue goes into the caller's part of the pool
     * if it has one and the queue fits there, else into the rest.
     * @return CMRX_OK; CMRX_EINVAL (id >= QUEUE_MAX, depth 0, msg_size
     * 0 or > QUEUE_MSG_MAX), CMRX_EPERM (kept for another process, or in
     * its part of the pool), QUEUE_EEXIST, QUEUE_ENOMEM.
     */
    int (*create)(struct queue_server *self, uint32_t id, uint32_t depth, uint32_t msg_size);
    /**
     * Destroy queue @p id and its messages (consumer only); waiting senders
     * and receivers get QUEUE_ENOENT. @return CMRX_OK; QUEUE_ENOENT, CMRX_EPERM.
     */
    int (*destroy)(struct queue_server *self, uint32_t id);
    /**
     * Append the @p len bytes at @p buf to queue @p id, waiting up to
     * @p timeout_us (CMRX_FOREVER; 0: do not wait) for room. @return CMRX_OK;
     * QUEUE_ENOENT, QUEUE_EMSGSIZE, CMRX_EFAULT, CMRX_ETIMEDOUT, CMRX_EAGAIN
     * (QUEUE_WAITERS senders already wait).
     */
    int (*send)(struct queue_server *self, uint32_t id, const void *buf, uint32_t len,
                uint32_t timeout_us);
    /**
     * Take the oldest message of queue @p id into @p buf (@p size bytes),
     * waiting up to @p timeout_us for one (consumer only). @return its
     * length (>= 0); QUEUE_ENOENT, CMRX_EPERM, CMRX_EFAULT, CMRX_ETIMEDOUT,
     * QUEUE_EMSGSIZE (it is larger than @p size: it stays in the queue).
     */
    int (*receive)(struct queue_server *self, uint32_t id, void *buf, uint32_t size,
                   uint32_t timeout_us);
    /** @return the number of messages waiting in queue @p id; QUEUE_ENOENT. */
    int (*pending)(struct queue_server *self, uint32_t id);
};

struct queue_server {
    const struct queue_server_vtable *vtable;
};

/** The service object of the server process. */
extern struct queue_server queue_service;

/* --- client library (queue_client): the calls as functions ------------------
 * Same arguments and results as the methods; buffers in CMRX_SHARED memory. */
int queue_create(uint32_t id, uint32_t depth, uint32_t msg_size);
int queue_destroy(uint32_t id);
int queue_send(uint32_t id, const void *buf, uint32_t len, uint32_t timeout_us);
int queue_receive(uint32_t id, void *buf, uint32_t size, uint32_t timeout_us);
int queue_pending(uint32_t id);

#endif
