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

/** Lock @p m, sleeping while another thread holds it. @return CMRX_OK or an error of cmrx_wait().
 */
int cmrx_mutex_lock(cmrx_mutex_t *m);

/** Lock @p m if it is free. @return CMRX_OK or CMRX_EBUSY. */
int cmrx_mutex_trylock(cmrx_mutex_t *m);

/** Unlock @p m, waking one waiter. @return CMRX_OK, or CMRX_EINVAL if it was not locked. */
int cmrx_mutex_unlock(cmrx_mutex_t *m);

#endif
