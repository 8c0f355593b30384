/* supervisor test, the observer: waits until the supervisor has given up
 * on sv_hang (stops beating) and sv_crash (faults at once, kill-process),
 * then checks the restart log: the events of each, in order, the back-off
 * doubling between a failure and its restart; sv_flaky (restart policy,
 * faults once) restarted by the kernel and logged; sv_steady never
 * touched. Also the documented errors for bad calls, and the client
 * library watching again after the supervisor restarted. */
#include <string.h>

#include "check.h"
#include "supervisor.h"

#define PID_HANG   1
#define PID_CRASH  2
#define PID_FLAKY  3
#define PID_STEADY 4
#define PID_SUPERV 5

static CMRX_SHARED struct supervisor_event ev;
static char private_buf[sizeof(struct supervisor_event)];

static void bad_calls(void)
{
    struct supervisor *sv = &supervisor_service;
    CHECK_EQ(supervisor_beat(), CMRX_ESRCH); /* not watched */
    CHECK_EQ(supervisor_unwatch(), CMRX_ESRCH);
    CHECK_EQ(supervisor_status(0), CMRX_ESRCH);
    CHECK_EQ(supervisor_status(99), CMRX_ESRCH);
    CHECK_EQ(supervisor_status(0xFFFFFFFFu), CMRX_ESRCH);
    CHECK_EQ(supervisor_watch(0, 1, 1000), CMRX_EINVAL);
    CHECK_EQ(supervisor_watch(1000, 1, 0), CMRX_EINVAL);
    CHECK_EQ(supervisor_watch(1000, 101, 1000), CMRX_EINVAL);
    CHECK_EQ(cmrx_rpc_call(sv, event, 1, (struct supervisor_event *)(void *)private_buf),
             CMRX_EFAULT);
    CHECK_EQ(supervisor_event(0, &ev), SUPERVISOR_ENOENT);
    CHECK_EQ(supervisor_event(1000, &ev), SUPERVISOR_ENOENT);
    /* Four processes watched: the table of this build is full. */
    CHECK_EQ(supervisor_watch(1000000, 1, 1000), SUPERVISOR_EFULL);
    CHECK_EQ(supervisor_beat(), CMRX_ESRCH);
    cmrx_printf("sv_main: bad calls refused\n");
}

/* The kinds of @p pid's events in the log, in order, as a string of
 * digits; and the time of each. */
static unsigned events_of(int pid, uint32_t last, char *kinds, uint32_t *times, uint32_t *delays)
{
    unsigned n = 0;
    for (uint32_t seq = 1; seq <= last; seq++) {
        struct supervisor_event e;
        CHECK_EQ(supervisor_event(seq, &e), CMRX_OK);
        CHECK_EQ(e.seq, seq);
        char real[CMRX_PROCESS_NAME_MAX + 1u];
        CHECK(cmrx_process_name(e.pid, real, sizeof(real)) > 0);
        CHECK(strcmp(e.name, real) == 0); /* the firmware's, not one a process gives */
        if (e.pid != pid) {
            continue;
        }
        kinds[n] = (char)('0' + e.kind);
        times[n] = e.time_us;
        delays[n] = e.delay_us;
        n++;
    }
    kinds[n] = '\0';
    return n;
}

/* Each failure is followed by its restart no sooner than its back-off,
 * which doubles from @p backoff. */
static void check_backoff(int pid, uint32_t last, const char *expect, uint32_t backoff)
{
    char kinds[16];
    uint32_t times[16], delays[16];
    unsigned n = events_of(pid, last, kinds, times, delays);
    if (strcmp(kinds, expect) != 0) {
        CHECK_FAIL_("process %d: events %s, expected %s", pid, kinds, expect);
    }
    uint32_t want = backoff;
    for (unsigned i = 0; i + 1 < n; i++) {
        if (kinds[i] != '0' + SUPERVISOR_RESTARTED && kinds[i + 1] == '0' + SUPERVISOR_RESTARTED) {
            CHECK_EQ(delays[i], want);
            CHECK(times[i + 1] - times[i] >= want);
            want *= 2;
        }
    }
}

/* The events of @p pid after event @p after, as a string of kinds; the
 * last of them in @p e. */
static void kinds_after(int pid, uint32_t after, char *kinds, struct supervisor_event *e)
{
    unsigned n = 0;
    for (uint32_t seq = after + 1u; supervisor_event(seq, &ev) == CMRX_OK; seq++) {
        if (ev.pid == pid && n < 15u) {
            kinds[n++] = (char)('0' + ev.kind);
            *e = ev;
        }
    }
    kinds[n] = '\0';
}

/* Another SYSTEM process (this one, an operator's) restarts and kills a
 * watched process on purpose: no failure of it. A restart is a fresh
 * start; a kill is obeyed, not undone: it stays killed until someone
 * starts it again, and then it is watched again. (Before the kernel told
 * why a process ended, the supervisor took both for faults and restarted
 * the killed process after its back-off.) */
static void asked(void)
{
    int self = cmrx_process_self();
    int last = supervisor_wait(0, 0);
    uint32_t mark = last > 0 ? (uint32_t)last : 0u;
    CHECK_EQ(cmrx_process_control(PID_STEADY, CMRX_PROC_CAUSE), CMRX_CAUSE_NONE);
    CHECK_EQ(cmrx_process_control(PID_FLAKY, CMRX_PROC_CAUSE), CMRX_CAUSE_FAULT);
    CHECK_EQ(cmrx_process_control(PID_SUPERV, CMRX_PROC_CAUSE), CMRX_CAUSE_ASKED + self);

    CHECK_EQ(cmrx_process_control(PID_STEADY, CMRX_PROC_RESTART), CMRX_OK);
    CHECK_EQ(cmrx_process_control(PID_STEADY, CMRX_PROC_CAUSE), CMRX_CAUSE_ASKED + self);
    cmrx_usleep(60000); /* three of its timeouts */
    char kinds[16];
    struct supervisor_event e;
    kinds_after(PID_STEADY, mark, kinds, &e);
    if (strcmp(kinds, "5") != 0) {
        CHECK_FAIL_("sv_steady restarted on purpose: events %s, expected 5", kinds);
    }
    CHECK_EQ(e.by, self);
    CHECK_EQ(supervisor_status(PID_STEADY), SUPERVISOR_WATCHING);
    CHECK_EQ(cmrx_process_control(PID_STEADY, CMRX_PROC_STATE), CMRX_PROC_ALIVE);

    mark = (uint32_t)supervisor_wait(0, 0);
    CHECK_EQ(cmrx_process_control(PID_STEADY, CMRX_PROC_KILL), CMRX_OK);
    cmrx_usleep(60000); /* its timeout, back-off and a poll, twice */
    CHECK_EQ(cmrx_process_control(PID_STEADY, CMRX_PROC_STATE), CMRX_PROC_KILLED);
    CHECK_EQ(supervisor_status(PID_STEADY), SUPERVISOR_STOPPED);
    kinds_after(PID_STEADY, mark, kinds, &e);
    if (strcmp(kinds, "5") != 0) {
        CHECK_FAIL_("sv_steady killed on purpose: events %s, expected 5", kinds);
    }

    /* Started again by the operator: it watches again, no failure. */
    CHECK_EQ(cmrx_process_control(PID_STEADY, CMRX_PROC_RESTART), CMRX_OK);
    cmrx_usleep(20000);
    CHECK_EQ(supervisor_status(PID_STEADY), SUPERVISOR_WATCHING);
    kinds_after(PID_STEADY, mark, kinds, &e);
    if (strcmp(kinds, "5") != 0) {
        CHECK_FAIL_("sv_steady started again: events %s, expected 5", kinds);
    }
    cmrx_printf("sv_main: a kill and a restart on purpose are no failures\n");
}

static int main_thread(void *arg)
{
    (void)arg;
    cmrx_usleep(2000); /* the others are watched */
    bad_calls();
    uint32_t last = 0;
    while (supervisor_status(PID_HANG) != SUPERVISOR_STOPPED ||
           supervisor_status(PID_CRASH) != SUPERVISOR_STOPPED) {
        int rc = supervisor_wait(last, 5000000);
        CHECK(rc > 0);
        last = (uint32_t)rc;
    }
    cmrx_usleep(50000); /* sv_steady keeps beating meanwhile, sv_flaky too */
    CHECK_EQ(supervisor_wait(last, 1000), CMRX_ETIMEDOUT);
    CHECK(last <= SUPERVISOR_LOG);
    /* 1 hung, 2 faulted, 3 restarted, 4 gave up. */
    check_backoff(PID_HANG, last, "131314", 5000);
    check_backoff(PID_CRASH, last, "23232324", 2000);
    char kinds[16];
    uint32_t times[16], delays[16];
    CHECK_EQ(events_of(PID_FLAKY, last, kinds, times, delays), 2);
    CHECK(strcmp(kinds, "23") == 0);
    CHECK_EQ(delays[0], 0);
    CHECK_EQ(events_of(PID_STEADY, last, kinds, times, delays), 0);
    CHECK_EQ(supervisor_event(last + 1u, &ev), SUPERVISOR_ENOENT);

    CHECK_EQ(supervisor_status(PID_FLAKY), SUPERVISOR_WATCHING);
    CHECK_EQ(supervisor_status(PID_STEADY), SUPERVISOR_WATCHING);
    CHECK_EQ(cmrx_process_control(PID_HANG, CMRX_PROC_STATE), 1); /* left killed */
    CHECK_EQ(cmrx_process_control(PID_CRASH, CMRX_PROC_STATE), 1);
    CHECK_EQ(cmrx_process_control(PID_FLAKY, CMRX_PROC_STATE), 0);
    CHECK_EQ(cmrx_process_control(PID_STEADY, CMRX_PROC_STATE), 0);
    CHECK_EQ(cmrx_process_restarts(PID_HANG), 2);
    CHECK_EQ(cmrx_process_restarts(PID_CRASH), 3);
    CHECK_EQ(cmrx_process_restarts(PID_FLAKY), 1);
    CHECK_EQ(cmrx_process_restarts(PID_STEADY), 0);
    struct supervisor_event e;
    CHECK_EQ(supervisor_event(last, &e), CMRX_OK);
    cmrx_printf("sv_main: log of %u events checked, last: %s %u\n", (unsigned)last, e.name, e.kind);

    /* A restarted supervisor knows nobody; the client library of a
     * beating process watches it again. */
    CHECK_EQ(cmrx_process_control(PID_SUPERV, CMRX_PROC_RESTART), CMRX_OK);
    /* Its memory is initialised a chunk per tick: up within a few. */
    for (int i = 0; i < 20 && cmrx_process_control(PID_SUPERV, CMRX_PROC_STATE) != 0; i++) {
        cmrx_usleep(1000);
    }
    /* It knows nobody: sv_hang (given up on before) is unknown now, and
     * its log is empty. (sv_steady may have beaten already: not checked.) */
    CHECK_EQ(supervisor_status(PID_HANG), CMRX_ESRCH);
    CHECK_EQ(supervisor_event(1, &ev), SUPERVISOR_ENOENT);
    cmrx_usleep(20000);
    CHECK_EQ(supervisor_status(PID_STEADY), SUPERVISOR_WATCHING);
    CHECK_EQ(supervisor_status(PID_FLAKY), SUPERVISOR_WATCHING);
    CHECK_EQ(supervisor_status(PID_HANG), CMRX_ESRCH);
    cmrx_printf("sv_main: watched again after the supervisor restarted\n");
    asked();
    PASS();
    return 0;
}

CMRX_THREAD(main_thread, NULL);
