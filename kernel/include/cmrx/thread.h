/* Threads.
 *
 * A thread belongs to the process that created it and runs unprivileged
 * with that process's memory, its own private stack and nothing else.
 * Priorities run from CMRX_PRIO_HIGHEST (0) to CMRX_PRIO_LOWEST (30);
 * priority 31 is reserved for the idle thread. Among threads of equal
 * priority the CPU is shared round-robin, one tick at a time.
 */
#ifndef CMRX_THREAD_H
#define CMRX_THREAD_H

#include <cmrx/errno.h>

#define CMRX_PRIO_HIGHEST 0u
#define CMRX_PRIO_LOWEST  30u

/** Thread identifier. Negative values are error codes, never ids. */
typedef int cmrx_tid_t;

/** Thread body. Its return value becomes the thread's exit code. */
typedef int (*cmrx_thread_entry_t)(void *arg);

/**
 * Create a thread in the calling process.
 * @param entry    function the thread runs; returning from it exits the thread
 * @param arg      passed to @p entry unchanged
 * @param priority 0 (highest) .. 30 (lowest)
 * @return the new thread's id, CMRX_EINVAL for a bad priority or entry,
 *         CMRX_EAGAIN when all of the process's thread slots are taken.
 *         A new thread of higher priority than the caller runs at once.
 */
cmrx_tid_t cmrx_thread_create(cmrx_thread_entry_t entry, void *arg, unsigned priority);

/**
 * End the calling thread. The code is handed to the thread that joins it.
 * Until joined, an exited thread keeps its slot.
 */
__attribute__((noreturn)) void cmrx_thread_exit(int code);

/**
 * Wait until thread @p tid of the calling process has exited and free its slot.
 * @param exit_code where to store its exit code (may be NULL); CMRX_EKILLED
 *                  if the kernel killed it after a fault
 * @return CMRX_OK, CMRX_ESRCH (no such thread in this process),
 *         CMRX_EDEADLK (joining oneself, or a thread that joins us),
 *         CMRX_EBUSY (someone already joins it), CMRX_EFAULT (bad pointer).
 */
int cmrx_thread_join(cmrx_tid_t tid, int *exit_code);

/** Let the next ready thread of the same priority run. */
void cmrx_thread_yield(void);

/** @return the id of the calling thread. */
cmrx_tid_t cmrx_thread_self(void);

/**
 * Change the priority of thread @p tid (of the calling process).
 * @return CMRX_OK, CMRX_ESRCH or CMRX_EINVAL (priority outside 0..30).
 */
int cmrx_thread_set_priority(cmrx_tid_t tid, unsigned priority);

/** @return the priority of thread @p tid of the calling process, or CMRX_ESRCH. */
int cmrx_thread_get_priority(cmrx_tid_t tid);

#endif
