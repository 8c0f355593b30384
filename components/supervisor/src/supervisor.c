/* The supervisor process: a watchdog thread checks the watched processes
 * at each deadline (and at least every SUPERVISOR_POLL_US), the methods
 * run on the callers' threads. One mutex covers the table and the log.
 *
 * A failure is a missed deadline (the process is killed), a kill by the
 * process's fault policy (CMRX_PROC_STATE says killed), or a restart by
 * its `restart` policy (its restart count moved), as CMRX_PROC_CAUSE
 * tells: a kill or restart another SYSTEM process asked for, or a live
 * update, is none. Such a kill is obeyed (the process stays stopped until
 * someone starts it again and it calls watch()); such a restart is a
 * fresh start. After a failure the
 * process waits, killed, for backoff << (failures in a row - 1) and is
 * restarted, unless it already had max_restarts restarts in a row: then
 * it stays killed. A kernel restart cannot be delayed: it is logged and
 * counted, and the supervisor only steps in to give up. Running for ten
 * timeouts without failing clears the count.
 */
#include <stdbool.h>
#include <string.h>

#include "supervisor.h"

#ifndef SUPERVISOR_MAX
#define SUPERVISOR_MAX 8u /* processes watched */
#endif
#ifndef SUPERVISOR_POLL_US
#define SUPERVISOR_POLL_US 5000u
#endif
#define STABLE_TIMEOUTS 10u /* of running without failure clear the count */
#define MAX_SHIFT       10u /* the back-off stops doubling at 1024 x */

struct watched {
    bool used;
    uint8_t pid;
    uint8_t state;        /* SUPERVISOR_WATCHING ... */
    uint8_t failures;     /* in a row */
    uint8_t max_restarts; /* in a row */
    uint16_t seen_restarts;
    uint32_t timeout_us;
    uint32_t backoff_us;
    uint32_t deadline;   /* WATCHING: of the next beat */
    uint32_t restart_at; /* BACKOFF */
    uint32_t since;      /* last (re)start */
};

static struct watched table[SUPERVISOR_MAX];
static struct supervisor_event log_ring[SUPERVISOR_LOG];
static volatile uint32_t log_last; /* seq of the newest event; readers wait on it */
static volatile uint32_t wakeup;   /* the watchdog thread waits on it */
/* A service mutex (<cmrx/mutex.h>): a caller whose process is killed while
 * it waits returns at once (CMRX_EKILLED, not locked); one stopped by the
 * kernel in a method, holding the lock, is taken over (CMRX_EOWNERDEAD,
 * locked) and the supervisor goes on: the holder can only have left its
 * own process's entry half-written (the entry of a process now dead),
 * which the watchdog then treats as that process's failure. */
static cmrx_svc_mutex_t lock = CMRX_SVC_MUTEX_INIT;

static int leave(int rc)
{
    cmrx_svc_mutex_unlock(&lock);
    return rc;
}

/* Whether @p t is at or after @p ref, on the wrapping clock. */
static bool reached(uint32_t t, uint32_t ref)
{
    return (int32_t)(t - ref) >= 0;
}

static struct watched *find(int pid)
{
    for (unsigned i = 0; i < SUPERVISOR_MAX; i++) {
        if (table[i].used && table[i].pid == (uint8_t)pid) {
            return &table[i];
        }
    }
    return NULL;
}

/* Log an event of @p w. Lock held. @return the event. */
static struct supervisor_event *record(const struct watched *w, uint8_t kind, uint32_t delay_us,
                                       uint32_t now)
{
    uint32_t seq = log_last + 1u;
    struct supervisor_event *e = &log_ring[seq % SUPERVISOR_LOG];
    e->seq = seq;
    e->time_us = now;
    e->pid = w->pid;
    e->kind = kind;
    e->failures = w->failures;
    e->by = 0;
    e->delay_us = delay_us;
    /* The firmware's name, never one a process gives itself: the log
     * must not blame another process. */
    if (cmrx_process_name(w->pid, e->name, sizeof(e->name)) < 0) {
        e->name[0] = '\0';
    }
    log_last = seq;
    cmrx_notify(&log_last, 255u);
    return e;
}

static uint32_t backoff(const struct watched *w)
{
    unsigned shift = w->failures - 1u;
    return w->backoff_us << (shift > MAX_SHIFT ? MAX_SHIFT : shift);
}

/* A failure of @p w: kill it unless the kernel @p restarted it, then back
 * off or give up. Lock held. */
static void failed(struct watched *w, uint8_t kind, bool restarted, uint32_t now)
{
    if (w->failures < 255u) {
        w->failures++;
    }
    bool give_up = w->failures > w->max_restarts;
    uint32_t delay = give_up || restarted ? 0 : backoff(w);
    const char *what = kind == SUPERVISOR_HUNG ? "no heartbeat" : "killed by a fault";
    const char *name = record(w, kind, delay, now)->name;
    if (give_up) {
        cmrx_printf("[supervisor] %s: %s; given up after %u restarts in a row, left stopped\n",
                    name, what, w->max_restarts);
        if (cmrx_process_control(w->pid, CMRX_PROC_STATE) == CMRX_PROC_ALIVE) {
            cmrx_process_control(w->pid, CMRX_PROC_KILL);
        }
        w->state = SUPERVISOR_STOPPED;
        record(w, SUPERVISOR_GAVE_UP, 0, now);
    } else if (restarted) {
        cmrx_printf("[supervisor] %s: %s, restarted by its fault policy (%u of %u)\n", name, what,
                    w->failures, w->max_restarts);
        record(w, SUPERVISOR_RESTARTED, 0, now);
        w->since = now;
        w->deadline = now + w->timeout_us;
    } else {
        cmrx_printf("[supervisor] %s: %s, restart %u of %u in %u us\n", name, what, w->failures,
                    w->max_restarts, (unsigned)delay);
        if (cmrx_process_control(w->pid, CMRX_PROC_STATE) == CMRX_PROC_ALIVE) {
            cmrx_process_control(w->pid, CMRX_PROC_KILL);
        }
        w->state = SUPERVISOR_BACKOFF;
        w->restart_at = now + delay;
    }
}

/* Whether @p w's last end was asked for by another process (or was a live
 * update), not a failure; if so, logged and dealt with. Lock held. */
static bool asked(struct watched *w, int state, int restarts, uint32_t now)
{
    int cause = cmrx_process_control(w->pid, CMRX_PROC_CAUSE);
    bool update = cause == CMRX_CAUSE_UPDATE;
    if (!update && (cause < CMRX_CAUSE_ASKED || cause == CMRX_CAUSE_ASKED + cmrx_process_self())) {
        return false;
    }
    if (state == CMRX_PROC_RESTARTING) {
        w->deadline = now + w->timeout_us; /* not yet back: no event yet */
        return true;
    }
    char by[CMRX_PROCESS_NAME_MAX + 1u];
    if (cmrx_process_cause_text(cause, by, sizeof(by)) < 0) {
        by[0] = '\0';
    }
    struct supervisor_event *e = record(w, SUPERVISOR_ASKED, 0, now);
    e->by = update ? SUPERVISOR_BY_UPDATE : (uint8_t)(cause - CMRX_CAUSE_ASKED);
    w->failures = 0;
    if (state == CMRX_PROC_KILLED) {
        cmrx_printf("[supervisor] %s: killed by %s, left stopped\n", e->name, by);
        w->state = SUPERVISOR_STOPPED;
    } else {
        cmrx_printf("[supervisor] %s: restarted by %s, not a failure\n", e->name, by);
        w->state = SUPERVISOR_WATCHING;
        w->seen_restarts = (uint16_t)restarts;
        w->since = now;
        w->deadline = now + w->timeout_us;
    }
    return true;
}

/* Check every watched process; @return the time of the next check. */
static uint32_t check_all(uint32_t now)
{
    uint32_t next = now + SUPERVISOR_POLL_US;
    for (unsigned i = 0; i < SUPERVISOR_MAX; i++) {
        struct watched *w = &table[i];
        if (!w->used) {
            continue;
        }
        if (w->state == SUPERVISOR_BACKOFF) {
            /* Someone else killed or started it meanwhile: theirs wins. */
            int state = cmrx_process_control(w->pid, CMRX_PROC_STATE);
            if (asked(w, state, cmrx_process_restarts(w->pid), now)) {
                continue;
            }
            if (reached(now, w->restart_at)) {
                cmrx_process_control(w->pid, CMRX_PROC_RESTART);
                w->seen_restarts = (uint16_t)cmrx_process_restarts(w->pid);
                w->state = SUPERVISOR_WATCHING;
                w->since = now;
                w->deadline = now + w->timeout_us;
                record(w, SUPERVISOR_RESTARTED, 0, now);
            } else {
                next = reached(next, w->restart_at) ? w->restart_at : next;
                continue;
            }
        }
        if (w->state != SUPERVISOR_WATCHING) {
            continue;
        }
        int restarts = cmrx_process_restarts(w->pid);
        int state = cmrx_process_control(w->pid, CMRX_PROC_STATE);
        bool moved = restarts >= 0 && (uint16_t)restarts != w->seen_restarts;
        if ((state != CMRX_PROC_ALIVE || moved) && asked(w, state, restarts, now)) {
            /* not a failure */
        } else if (state != CMRX_PROC_ALIVE) {
            /* Killed, or waiting out the kernel's restart back-off. */
            failed(w, SUPERVISOR_FAULTED, false, now);
        } else if (moved) {
            w->seen_restarts = (uint16_t)restarts;
            failed(w, SUPERVISOR_FAULTED, true, now);
        } else if (reached(now, w->deadline)) {
            failed(w, SUPERVISOR_HUNG, false, now);
        } else if (w->failures > 0 &&
                   (uint64_t)(now - w->since) >= (uint64_t)STABLE_TIMEOUTS * w->timeout_us) {
            w->failures = 0;
        }
        if (w->state == SUPERVISOR_WATCHING && reached(next, w->deadline)) {
            next = w->deadline;
        } else if (w->state == SUPERVISOR_BACKOFF && reached(next, w->restart_at)) {
            next = w->restart_at;
        }
    }
    return next;
}

static int watchdog(void *arg)
{
    (void)arg;
    for (;;) {
        if (cmrx_svc_mutex_lock(&lock) == CMRX_EKILLED) {
            return 0; /* not at home: cannot happen */
        }
        uint32_t seen = wakeup;
        uint32_t now = cmrx_time_us();
        uint32_t next = check_all(now);
        cmrx_svc_mutex_unlock(&lock);
        now = cmrx_time_us();
        if (!reached(now, next)) {
            cmrx_wait(&wakeup, seen, next - now);
        }
    }
    return 0;
}

CMRX_THREAD(watchdog, NULL);

static int sv_watch(struct supervisor *self, uint32_t timeout_us, uint32_t max_restarts,
                    uint32_t backoff_us)
{
    (void)self;
    if (timeout_us == 0 || backoff_us == 0 || max_restarts > 100u) {
        return CMRX_EINVAL;
    }
    int pid = cmrx_rpc_caller();
    uint32_t now = cmrx_time_us();
    if (cmrx_svc_mutex_lock(&lock) == CMRX_EKILLED) {
        return CMRX_EKILLED;
    }
    struct watched *w = find(pid);
    bool fresh = w == NULL;
    if (fresh) {
        for (unsigned i = 0; i < SUPERVISOR_MAX && w == NULL; i++) {
            w = table[i].used ? NULL : &table[i];
        }
        if (w == NULL) {
            return leave(SUPERVISOR_EFULL);
        }
        memset(w, 0, sizeof(*w));
        w->used = true;
        w->pid = (uint8_t)pid;
    }
    if (fresh || w->state != SUPERVISOR_WATCHING) {
        /* New; or given up on (or waiting) and yet it runs: someone
         * started it again. Start afresh. A process that is watched
         * already keeps its restart count: a restart by its fault policy
         * just before it calls watch() again is still seen. */
        w->failures = 0;
        w->since = now;
        w->seen_restarts = (uint16_t)cmrx_process_restarts((unsigned)pid);
    }
    w->state = SUPERVISOR_WATCHING;
    w->timeout_us = timeout_us;
    w->backoff_us = backoff_us;
    w->max_restarts = (uint8_t)max_restarts;
    w->deadline = now + timeout_us;
    wakeup++;
    cmrx_notify(&wakeup, 1);
    return leave(CMRX_OK);
}

static int sv_beat(struct supervisor *self)
{
    (void)self;
    if (cmrx_svc_mutex_lock(&lock) == CMRX_EKILLED) {
        return CMRX_EKILLED;
    }
    struct watched *w = find(cmrx_rpc_caller());
    if (w == NULL) {
        return leave(CMRX_ESRCH);
    }
    if (w->state == SUPERVISOR_WATCHING) {
        w->deadline = cmrx_time_us() + w->timeout_us;
    }
    return leave(CMRX_OK);
}

static int sv_unwatch(struct supervisor *self)
{
    (void)self;
    if (cmrx_svc_mutex_lock(&lock) == CMRX_EKILLED) {
        return CMRX_EKILLED;
    }
    struct watched *w = find(cmrx_rpc_caller());
    if (w == NULL) {
        return leave(CMRX_ESRCH);
    }
    w->used = false;
    return leave(CMRX_OK);
}

static int sv_status(struct supervisor *self, uint32_t pid)
{
    (void)self;
    if (pid > 255u) {
        return CMRX_ESRCH;
    }
    if (cmrx_svc_mutex_lock(&lock) == CMRX_EKILLED) {
        return CMRX_EKILLED;
    }
    const struct watched *w = find((int)pid);
    return leave(w != NULL ? w->state : CMRX_ESRCH);
}

static int sv_event(struct supervisor *self, uint32_t seq, struct supervisor_event *out)
{
    (void)self;
    if (cmrx_rpc_buffer(out, sizeof(*out)) != CMRX_OK) {
        return CMRX_EFAULT;
    }
    if (cmrx_svc_mutex_lock(&lock) == CMRX_EKILLED) {
        return CMRX_EKILLED;
    }
    uint32_t last = log_last;
    if (seq == 0 || seq > last || last - seq >= SUPERVISOR_LOG) {
        return leave(SUPERVISOR_ENOENT);
    }
    memcpy(out, &log_ring[seq % SUPERVISOR_LOG], sizeof(*out));
    return leave(CMRX_OK);
}

static int sv_wait(struct supervisor *self, uint32_t seq, uint32_t timeout_us)
{
    (void)self;
    uint32_t start = cmrx_time_us();
    for (;;) {
        uint32_t last = log_last;
        if ((int32_t)(last - seq) > 0) {
            return (int)last;
        }
        uint32_t spent = cmrx_time_us() - start;
        if (timeout_us != CMRX_FOREVER && spent >= timeout_us) {
            return CMRX_ETIMEDOUT;
        }
        if (cmrx_wait(&log_last, last,
                      timeout_us == CMRX_FOREVER ? CMRX_FOREVER : timeout_us - spent) ==
            CMRX_EKILLED) {
            return CMRX_EKILLED; /* the caller is dying: it may block no more */
        }
    }
}

CMRX_VTABLE(struct supervisor_vtable, supervisor_vtable) = {sv_watch,  sv_beat,  sv_unwatch,
                                                            sv_status, sv_event, sv_wait};
CMRX_EXPORT struct supervisor supervisor_service = {&supervisor_vtable};
