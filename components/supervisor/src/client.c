/* supervisor client library: the calls, with the event copied through
 * this process's own shared buffer. */
#include <stdbool.h>
#include <string.h>

#include "supervisor.h"

static CMRX_SHARED struct supervisor_event shared_event;
static cmrx_mutex_t buf_lock = CMRX_MUTEX_INIT;

/* The last watch() that succeeded, made again by supervisor_beat() should
 * the supervisor have forgotten this process (it restarted). */
static struct {
    bool on;
    uint32_t timeout_us, max_restarts, backoff_us;
} last;

static int watch_locked(void)
{
    return cmrx_rpc_call(&supervisor_service, watch, last.timeout_us, last.max_restarts,
                         last.backoff_us);
}

int supervisor_watch(uint32_t timeout_us, uint32_t max_restarts, uint32_t backoff_us)
{
    int rc = cmrx_mutex_lock(&buf_lock);
    if (rc != CMRX_OK) {
        return rc; /* a thread serving a killed caller: leave */
    }
    last.timeout_us = timeout_us;
    last.max_restarts = max_restarts;
    last.backoff_us = backoff_us;
    rc = watch_locked();
    last.on = rc == CMRX_OK;
    cmrx_mutex_unlock(&buf_lock);
    return rc;
}

int supervisor_beat(void)
{
    int rc = cmrx_rpc_call(&supervisor_service, beat);
    if (rc == CMRX_ESRCH && (rc = cmrx_mutex_lock(&buf_lock)) == CMRX_OK) {
        rc = last.on ? watch_locked() : CMRX_ESRCH;
        cmrx_mutex_unlock(&buf_lock);
    }
    return rc;
}

int supervisor_unwatch(void)
{
    int rc = cmrx_mutex_lock(&buf_lock);
    if (rc != CMRX_OK) {
        return rc;
    }
    last.on = false;
    cmrx_mutex_unlock(&buf_lock);
    return cmrx_rpc_call(&supervisor_service, unwatch);
}

int supervisor_status(unsigned pid)
{
    return cmrx_rpc_call(&supervisor_service, status, pid);
}

int supervisor_event(uint32_t seq, struct supervisor_event *out)
{
    int rc = cmrx_mutex_lock(&buf_lock);
    if (rc != CMRX_OK) {
        return rc;
    }
    rc = cmrx_rpc_call(&supervisor_service, event, seq, &shared_event);
    if (rc == CMRX_OK) {
        memcpy(out, &shared_event, sizeof(*out));
    }
    cmrx_mutex_unlock(&buf_lock);
    return rc;
}

int supervisor_wait(uint32_t seq, uint32_t timeout_us)
{
    return cmrx_rpc_call(&supervisor_service, wait, seq, timeout_us);
}
