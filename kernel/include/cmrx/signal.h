/* Signals: asynchronous events for a thread.
 *
 * A signal is a bit; a thread may have up to 31 distinct signals pending.
 * A thread either installs a handler, which runs on the thread's own stack
 * the next time it is scheduled (interrupting a sleep or wait with
 * CMRX_EINTR), or collects signals with cmrx_signal_wait(). Signals reach a
 * thread running an RPC call only when the call returns.
 */
#ifndef CMRX_SIGNAL_H
#define CMRX_SIGNAL_H

#include <cmrx/thread.h>
#include <stdint.h>

#define CMRX_SIGALRM (1u << 0) /**< raised by the thread's periodic timer */
#define CMRX_SIGUSR1 (1u << 1)
#define CMRX_SIGUSR2 (1u << 2)
#define CMRX_SIG_ALL 0x7FFFFFFFu /**< every valid signal bit */

/** Handler: receives the pending signals it is delivering. */
typedef void (*cmrx_signal_handler_t)(uint32_t signals);

/**
 * Install @p handler for the calling thread (NULL removes it).
 * @return CMRX_OK, or CMRX_EINVAL if the handler is not code.
 */
int cmrx_signal_handler(cmrx_signal_handler_t handler);

/**
 * Raise @p signals (bits 0..30) in thread @p tid of the calling process.
 * @return CMRX_OK, CMRX_ESRCH, CMRX_EINVAL (no or invalid bits).
 */
int cmrx_signal_send(cmrx_tid_t tid, uint32_t signals);

/**
 * Wait for any of @p mask; take them from the pending set.
 * @return the signals taken (> 0), CMRX_ETIMEDOUT, CMRX_EINVAL.
 */
int cmrx_signal_wait(uint32_t mask, uint32_t timeout_us);

#endif
