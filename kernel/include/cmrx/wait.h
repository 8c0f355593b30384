/* Notify and wait on a word: the building block of every blocking
 * primitive (mutexes, events, queues).
 *
 * A thread waits on the address of a 32-bit word while the word still holds
 * the value it expects; the kernel checks that value and puts the thread to
 * sleep in one step, so a notify that comes between the thread's own check
 * and its wait is never lost.
 */
#ifndef CMRX_WAIT_H
#define CMRX_WAIT_H

#include <stdint.h>

/** Timeout meaning "wait as long as it takes". */
#define CMRX_FOREVER 0xFFFFFFFFu

/**
 * Sleep until another thread (or the kernel, for an interrupt) notifies
 * @p word, if *word still equals @p expected.
 * @param timeout_us CMRX_FOREVER, or at most this long (0: do not block)
 * @return CMRX_OK when notified, CMRX_EAGAIN when *word != expected,
 *         CMRX_ETIMEDOUT, CMRX_EINTR (a signal arrived), CMRX_EFAULT when the
 *         word is not readable by the caller or not 4-byte aligned.
 */
int cmrx_wait(const volatile uint32_t *word, uint32_t expected, uint32_t timeout_us);

/**
 * Wake up to @p count threads waiting on @p word, highest priority first,
 * in the order they started waiting within one priority. The word may
 * belong to another process (a "doorbell" it published): notify does not
 * read it, and waiters always re-check their condition.
 * @return the number of threads woken, or CMRX_EFAULT for a misaligned
 *         address or one in no process's memory.
 */
int cmrx_notify(const volatile uint32_t *word, unsigned count);

#endif
