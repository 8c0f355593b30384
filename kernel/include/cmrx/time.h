/* Time: sleeping and the microsecond clock. */
#ifndef CMRX_TIME_H
#define CMRX_TIME_H

#include <stdint.h>

/** The kernel tick, in microseconds: sleeps, timeouts and timers are kept
 * in whole ticks, and a tick's work (wake-ups, expiries) starts at its
 * beginning. */
#define CMRX_TICK_US 1000u

/**
 * Sleep for at least @p us microseconds. The thread wakes on the first
 * kernel tick at or after the deadline, so it sleeps less than one tick
 * longer than asked. usleep(0) yields.
 * @return CMRX_OK
 */
int cmrx_usleep(uint32_t us);

/** @return microseconds since boot, wrapping at 2^32 (about 71 minutes). */
uint32_t cmrx_time_us(void);

/**
 * Start (or change) a periodic timer for the calling thread: every
 * @p period_us (rounded up to whole ticks) it raises CMRX_SIGALRM in the
 * thread. Deadlines do not drift: each is one period after the previous.
 * 0 stops the timer. Timers come from the slots the thread's process
 * declared (TIMERS in CMake, timers: in cmrx.yaml).
 * @return CMRX_OK, or CMRX_EAGAIN if the process has no free timer slot.
 */
int cmrx_setitimer(uint32_t period_us);

#endif
