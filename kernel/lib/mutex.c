/* Mutex on a word: 0 free, 1 locked, 2 locked and maybe contended.
 * Only the contended paths enter the kernel (cmrx_wait/cmrx_notify). */
#include <stdbool.h>

#include <cmrx/console.h>
#include <cmrx/errno.h>
#include <cmrx/mutex.h>
#include <cmrx/process.h>
#include <cmrx/rpc.h>
#include <cmrx/time.h>
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

/* Service mutexes: how often a waiter looks at the holder, and how long
 * after its process was killed a holder must be gone (twice the kernel's
 * grace for a killed process's thread in a call). */
#define SVC_POLL_US  5000u
#define SVC_GRACE_US (2u * CMRX_DOOMED_GRACE_MS * 1000u)

/* Was holder @p run stopped mid-call? @p dead/@p since: when its death was first seen. */
static bool svc_holder_stopped(int run, bool *dead, uint32_t *since)
{
    if (run < 0) {
        return false; /* the service's own thread: it dies with the service */
    }
    unsigned pid = CMRX_RUN_PID(run);
    if (cmrx_process_restarts(pid) != CMRX_RUN_RESTARTS(run)) {
        return true; /* a restart waits until its threads are out of calls */
    }
    if (cmrx_process_control(pid, CMRX_PROC_STATE) == 0) {
        *dead = false;
        return false;
    }
    if (!*dead) {
        *dead = true;
        *since = cmrx_time_us();
        return false;
    }
    return cmrx_time_us() - *since >= SVC_GRACE_US;
}

int cmrx_svc_mutex_lock(cmrx_svc_mutex_t *m)
{
    /* CMRX_ESRCH at home: the service's own thread. */
    return cmrx_svc_mutex_lock_run(m, cmrx_rpc_caller_run(NULL, 0));
}

/* A service mutex's word: the holder's run + 1 (CMRX_RUN(): below 2^24), or
 * SVC_HOME for the service's own threads, and SVC_WAITERS while a thread
 * may be waiting. The holder is part of the step that takes the lock: a
 * thread stopped right after it is still known, and taken over. */
#define SVC_WAITERS 0x80000000u
#define SVC_HOME    0x7FFFFFFFu

static uint32_t svc_code(int run)
{
    return run < 0 ? SVC_HOME : (uint32_t)run + 1u;
}

static int svc_run(uint32_t word)
{
    uint32_t code = word & ~SVC_WAITERS;
    return code == SVC_HOME ? -1 : (int)(code - 1u);
}

static bool svc_swap(cmrx_svc_mutex_t *m, uint32_t *expect, uint32_t want)
{
    return __atomic_compare_exchange_n(&m->state, expect, want, false, __ATOMIC_ACQ_REL,
                                       __ATOMIC_ACQUIRE);
}

int cmrx_svc_mutex_lock_run(cmrx_svc_mutex_t *m, int run)
{
    uint32_t me = svc_code(run);
    uint32_t c = 0;
    if (svc_swap(m, &c, me)) {
        __atomic_add_fetch(&m->taken, 1u, __ATOMIC_ACQ_REL);
        return CMRX_OK;
    }
    uint32_t seen = __atomic_load_n(&m->taken, __ATOMIC_ACQUIRE);
    bool dead = false;
    uint32_t since = 0;
    for (;;) {
        if (c == 0) {
            /* Free: ours, marked as waited for (others may be). */
            if (svc_swap(m, &c, me | SVC_WAITERS)) {
                break;
            }
            continue; /* c: what took it meanwhile */
        }
        if ((c & SVC_WAITERS) == 0 && !svc_swap(m, &c, c | SVC_WAITERS)) {
            continue;
        }
        c |= SVC_WAITERS;
        int r = cmrx_wait(&m->state, c, SVC_POLL_US);
        if (r == CMRX_EKILLED) {
            return r;
        }
        uint32_t now = __atomic_load_n(&m->taken, __ATOMIC_ACQUIRE);
        if (now != seen) {
            seen = now; /* another holder: its own grace */
            dead = false;
        } else if (r == CMRX_ETIMEDOUT && svc_holder_stopped(svc_run(c), &dead, &since) &&
                   svc_swap(m, &c, me | SVC_WAITERS)) {
            /* Still that holder, and now ours (one waiter wins the swap). */
            __atomic_add_fetch(&m->taken, 1u, __ATOMIC_ACQ_REL);
            return CMRX_EOWNERDEAD;
        }
        c = __atomic_load_n(&m->state, __ATOMIC_ACQUIRE);
    }
    __atomic_add_fetch(&m->taken, 1u, __ATOMIC_ACQ_REL);
    return CMRX_OK;
}

int cmrx_svc_mutex_lock_or_restart(cmrx_svc_mutex_t *m, const char *service)
{
    return cmrx_svc_mutex_lock_run_or_restart(m, cmrx_rpc_caller_run(NULL, 0), service);
}

int cmrx_svc_mutex_lock_run_or_restart(cmrx_svc_mutex_t *m, int run, const char *service)
{
    int rc = cmrx_svc_mutex_lock_run(m, run);
    if (rc == CMRX_EOWNERDEAD) {
        cmrx_printf("%s: a caller was stopped in a call holding a lock: restarting\n", service);
        __builtin_trap();
    }
    return rc == CMRX_OK ? CMRX_OK : CMRX_EKILLED;
}

int cmrx_svc_mutex_unlock(cmrx_svc_mutex_t *m)
{
    uint32_t prev = __atomic_exchange_n(&m->state, 0u, __ATOMIC_RELEASE);
    if (prev == 0) {
        return CMRX_EINVAL;
    }
    if (prev & SVC_WAITERS) {
        cmrx_notify(&m->state, 1);
    }
    return CMRX_OK;
}
