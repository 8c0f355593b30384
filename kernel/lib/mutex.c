/* Mutex on a word: 0 free, 1 locked, 2 locked and maybe contended.
 * Only the contended paths enter the kernel (cmrx_wait/cmrx_notify). */
#include <stdbool.h>

#include <cmrx/errno.h>
#include <cmrx/mutex.h>
#include <cmrx/wait.h>

void cmrx_mutex_init(cmrx_mutex_t *m)
{
    m->state = 0;
}

int cmrx_mutex_trylock(cmrx_mutex_t *m)
{
    uint32_t expect = 0;
    return __atomic_compare_exchange_n(&m->state, &expect, 1u, false, __ATOMIC_ACQUIRE,
                                       __ATOMIC_RELAXED)
               ? CMRX_OK
               : CMRX_EBUSY;
}

int cmrx_mutex_lock(cmrx_mutex_t *m)
{
    uint32_t c = 0;
    if (__atomic_compare_exchange_n(&m->state, &c, 1u, false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
        return CMRX_OK;
    }
    /* Contended: mark it so the holder's unlock wakes someone, and sleep
     * while it stays marked-and-held. */
    if (c != 2u) {
        c = __atomic_exchange_n(&m->state, 2u, __ATOMIC_ACQUIRE);
    }
    while (c != 0) {
        int r = cmrx_wait(&m->state, 2u, CMRX_FOREVER);
        if (r != CMRX_OK && r != CMRX_EAGAIN && r != CMRX_EINTR) {
            return r;
        }
        c = __atomic_exchange_n(&m->state, 2u, __ATOMIC_ACQUIRE);
    }
    return CMRX_OK;
}

int cmrx_mutex_unlock(cmrx_mutex_t *m)
{
    uint32_t prev = __atomic_exchange_n(&m->state, 0u, __ATOMIC_RELEASE);
    if (prev == 0) {
        return CMRX_EINVAL;
    }
    if (prev == 2u) {
        cmrx_notify(&m->state, 1);
    }
    return CMRX_OK;
}
