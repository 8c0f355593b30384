/* supervisor: watches processes through heartbeats and restarts them.
 *
 * A process asks to be watched (watch(), usually first thing in its main
 * thread) and then beats at least once per timeout. The supervisor, a
 * SYSTEM process, restarts it when it stops beating (it is killed first)
 * or when a fault killed it, after a back-off that doubles with each
 * failure in a row; after max_restarts restarts in a row it gives up:
 * the process stays killed and the give-up is reported on the console.
 * A kill or restart another process asked for, or a live update, is no
 * failure: a kill is obeyed, a restart is a fresh start.
 * Every failure, restart and give-up goes into a log that any process can
 * read over RPC.
 */
#ifndef SUPERVISOR_H
#define SUPERVISOR_H

#include <stdint.h>

#include <cmrx/cmrx.h>

#define SUPERVISOR_LOG      32u /**< events kept; older ones are dropped */

/* Kinds of events. */
#define SUPERVISOR_HUNG      1u /**< no heartbeat within its timeout: killed */
#define SUPERVISOR_FAULTED   2u /**< a fault killed it (or the kernel restarted it) */
#define SUPERVISOR_RESTARTED 3u /**< started again (by the supervisor, or by the kernel) */
#define SUPERVISOR_GAVE_UP   4u /**< failed after max_restarts restarts in a row: left killed */
/** Killed or restarted on another process's request (`by`), or started in
 * a new version by a live update: no failure. A kill is obeyed: the process
 * is left stopped until it is started again and calls watch(). */
#define SUPERVISOR_ASKED 5u

/** `by` of a SUPERVISOR_ASKED event for a live update. */
#define SUPERVISOR_BY_UPDATE 255u

/* States for status(). */
#define SUPERVISOR_WATCHING 0 /**< alive and beating (or in its first timeout) */
#define SUPERVISOR_BACKOFF  1 /**< failed, waits for its restart */
#define SUPERVISOR_STOPPED  2 /**< given up on, or killed on another process's request */

/* Error codes of the service (besides CMRX_ESRCH, CMRX_EINVAL, CMRX_EFAULT,
 * CMRX_ETIMEDOUT). */
#define SUPERVISOR_EFULL  (-200) /**< watch(): the supervisor watches as many as it can */
#define SUPERVISOR_ENOENT (-201) /**< event(): no such event (not yet, or dropped) */

/** One entry of the log. */
struct supervisor_event {
    uint32_t seq;     /**< 1, 2, 3... in the order they happened */
    uint32_t time_us; /**< cmrx_time_us() when it happened */
    uint8_t pid;      /**< the process */
    uint8_t kind;     /**< SUPERVISOR_HUNG ... */
    uint8_t failures; /**< failures in a row, this one included */
    uint8_t by;       /**< ASKED: the process that asked, or SUPERVISOR_BY_UPDATE */
    uint32_t delay_us; /**< HUNG, FAULTED: the back-off before its restart */
    char name[CMRX_PROCESS_NAME_MAX + 1u]; /**< the process's name in the firmware */
};

struct supervisor;

/** The RPC interface. Buffers must lie in the caller's CMRX_SHARED memory. */
struct supervisor_vtable {
    /**
     * Watch the calling process: it must beat every @p timeout_us; after a
     * failure it is restarted after @p backoff_us << (failures in a row - 1),
     * up to @p max_restarts times in a row. The log and the console name
     * it as the firmware does (cmrx_process_name()): no process can make
     * the supervisor blame another. Calling it again (after a restart)
     * updates the settings and keeps the count of failures.
     * @return CMRX_OK; CMRX_EINVAL (timeout or back-off 0,
     * max_restarts > 100), SUPERVISOR_EFULL.
     */
    int (*watch)(struct supervisor *self, uint32_t timeout_us, uint32_t max_restarts,
                 uint32_t backoff_us);
    /** A heartbeat of the calling process. @return CMRX_OK; CMRX_ESRCH (not watched). */
    int (*beat)(struct supervisor *self);
    /** Stop watching the calling process. @return CMRX_OK; CMRX_ESRCH. */
    int (*unwatch)(struct supervisor *self);
    /** @return SUPERVISOR_WATCHING, _BACKOFF or _STOPPED for process @p pid; CMRX_ESRCH. */
    int (*status)(struct supervisor *self, uint32_t pid);
    /** Copy event @p seq of the log to @p out. @return CMRX_OK; SUPERVISOR_ENOENT, CMRX_EFAULT. */
    int (*event)(struct supervisor *self, uint32_t seq, struct supervisor_event *out);
    /**
     * Wait up to @p timeout_us until the log has events after @p seq.
     * @return the newest event's seq (> @p seq); CMRX_ETIMEDOUT.
     */
    int (*wait)(struct supervisor *self, uint32_t seq, uint32_t timeout_us);
};

struct supervisor {
    const struct supervisor_vtable *vtable;
};

/** The service object of the supervisor process. */
extern struct supervisor supervisor_service;

/* --- client library (supervisor_client) ----------------------------------
 * The calls, with buffers of any memory (copied through the library's own
 * shared buffers). supervisor_beat() calls watch() again with the last
 * settings if the supervisor does not know the process (it restarted).
 * While the supervisor itself restarts, every call returns CMRX_ERPC_DEAD
 * (the kernel initialises a restarted process's memory a chunk per tick). */
int supervisor_watch(uint32_t timeout_us, uint32_t max_restarts, uint32_t backoff_us);
int supervisor_beat(void);
int supervisor_unwatch(void);
int supervisor_status(unsigned pid);
int supervisor_event(uint32_t seq, struct supervisor_event *out);
int supervisor_wait(uint32_t seq, uint32_t timeout_us);

#endif
