/* Mutexes built on cmrx_wait()/cmrx_notify(): locking and unlocking an
 * uncontended mutex are a few instructions in the caller's process and no
 * system call. A mutex is a plain word in process memory, so it protects
 * data shared by the threads of one process (or, placed in CMRX_SHARED
 * memory, between a process and the services it calls). */
#ifndef CMRX_MUTEX_H
#define CMRX_MUTEX_H

#include <stdint.h>

typedef struct {
    volatile uint32_t state; /* 0 free, 1 locked, 2 locked with waiters */
} cmrx_mutex_t;

#define CMRX_MUTEX_INIT                                                                            \
    {                                                                                              \
        0                                                                                          \
    }

/** Prepare @p m, unlocked (same as CMRX_MUTEX_INIT). */
void cmrx_mutex_init(cmrx_mutex_t *m);

/** Lock @p m, sleeping while another thread holds it. @return CMRX_OK or an error of cmrx_wait():
 *  CMRX_EKILLED to a thread serving a call whose process was killed, which
 *  does not hold @p m then and must return (hence the result must be used). */
__attribute__((warn_unused_result)) int cmrx_mutex_lock(cmrx_mutex_t *m);

/** Lock @p m if it is free. @return CMRX_OK or CMRX_EBUSY. */
int cmrx_mutex_trylock(cmrx_mutex_t *m);

/** Unlock @p m, waking one waiter. @return CMRX_OK, or CMRX_EINVAL if it was not locked. */
int cmrx_mutex_unlock(cmrx_mutex_t *m);

/*
 * A service's mutex. A service's methods run on their callers' threads, and
 * the kernel stops a killed process's thread that does not come back from
 * a call within its grace (CMRX_DOOMED_GRACE_MS) where it is: holding the
 * service's lock, the data it guards half-updated. A plain mutex then stays
 * locked for good. This one knows which caller's run holds it
 * (cmrx_rpc_caller_run(), or the service's own thread), and a waiter that
 * finds the same holder still there after its process restarted, or twice
 * the grace after it was killed,
 * takes the mutex over and is told so (CMRX_EOWNERDEAD), as a POSIX robust
 * mutex does: the service must then not trust what the mutex guards (drop
 * it, or fault so that its process restarts).
 */
typedef struct {
    /* 0: free; else who holds it, written by the one atomic step that
     * takes it (so no holder is ever unknown), and whether others wait. */
    volatile uint32_t state;
    uint32_t taken; /* acquisitions: a waiter tells one holding from the next */
} cmrx_svc_mutex_t;

#define CMRX_SVC_MUTEX_INIT                                                                        \
    {                                                                                              \
        0, 0                                                                                       \
    }

/**
 * Lock @p m for the caller being served (or the service's own thread).
 * @return CMRX_OK; CMRX_EOWNERDEAD: locked, taken over from a holder the
 *         kernel stopped mid-call; CMRX_EKILLED: not locked, the caller's
 *         process is being killed: return at once, touching nothing.
 */
__attribute__((warn_unused_result)) int cmrx_svc_mutex_lock(cmrx_svc_mutex_t *m);

/** cmrx_svc_mutex_lock() for a method that has its caller's run already
 *  (cmrx_rpc_caller_run()): one system call fewer. */
__attribute__((warn_unused_result)) int cmrx_svc_mutex_lock_run(cmrx_svc_mutex_t *m, int run);

/**
 * cmrx_svc_mutex_lock() for a service whose state is not worth trusting
 * after a takeover: on CMRX_EOWNERDEAD it says so on the console (naming
 * @p service) and faults, so that the service's fault policy (restart)
 * initialises it again; the call in flight returns CMRX_ERPC_FAULT.
 * @return CMRX_OK; CMRX_EKILLED: not locked, return at once.
 */
__attribute__((warn_unused_result)) int cmrx_svc_mutex_lock_or_restart(cmrx_svc_mutex_t *m, const char *service);

/** cmrx_svc_mutex_lock_or_restart() for a method that has its caller's run
 *  already (cmrx_rpc_caller_run()): one system call fewer. */
__attribute__((warn_unused_result)) int
cmrx_svc_mutex_lock_run_or_restart(cmrx_svc_mutex_t *m, int run, const char *service);

/** Unlock @p m. @return as cmrx_mutex_unlock(). */
int cmrx_svc_mutex_unlock(cmrx_svc_mutex_t *m);

#endif
