/* netstack lock test, the judge (SYSTEM, priority 10), its busy thread
 * (priority 13) and a watchdog. Each round: the attacker sends, the busy
 * thread starts, the judge kills the attacker, whose thread, paused inside
 * the stack by the busy thread, cannot return within the kernel's grace
 * and is stopped there, most likely holding the core lock. Then the judge
 * calls the stack: it must answer (the stack restarts when a stopped
 * caller held its lock), never hang every application for good. Rounds
 * repeat until the stack has restarted once. */
#include "check.h"
#include "netsock.h"

#define PID_ATTACKER 1 /* the order of the firmware's processes */
#define PID_STACK    2
#define ROUNDS       20
#define SPIN_US      60000u

static CMRX_SHARED struct net_stats st;
static volatile uint32_t spin_until;
static volatile uint32_t probe_since; /* 0: no call of the judge's in the stack */

static int spinner(void *arg)
{
    (void)arg;
    for (;;) {
        while ((int32_t)(spin_until - cmrx_time_us()) > 0) {
        }
        cmrx_usleep(1000);
    }
    return 0;
}

static int watchdog(void *arg)
{
    (void)arg;
    for (;;) {
        cmrx_usleep(100000);
        uint32_t since = probe_since;
        if (since != 0 && cmrx_time_us() - since > 3000000u) {
            cmrx_printf("ATTACK SUCCEEDED: the stack serves nobody: a stopped caller holds its "
                        "lock\n");
            cmrx_shutdown(1);
        }
    }
    return 0;
}

/* A call into the stack, watched: it must come back. */
static int probe(void)
{
    probe_since = cmrx_time_us() | 1u;
    int rc = net_stats(&st);
    probe_since = 0;
    return rc;
}

static int judge(void *arg)
{
    (void)arg;
    CHECK(cmrx_thread_create(spinner, NULL, 13) >= 0);
    CHECK(cmrx_thread_create(watchdog, NULL, 10) >= 0);
    probe_since = cmrx_time_us() | 1u;
    CHECK_EQ(net_wait_up(10000000u), CMRX_OK);
    probe_since = 0;
    int restarts = cmrx_process_restarts(PID_STACK);
    int round = 0;
    while (cmrx_process_restarts(PID_STACK) == restarts) {
        CHECK(++round <= ROUNDS);
        cmrx_usleep(30000); /* the attacker sends */
        spin_until = cmrx_time_us() + SPIN_US;
        cmrx_usleep(5000);
        CHECK_EQ(cmrx_process_control(PID_ATTACKER, CMRX_PROC_KILL), CMRX_OK);
        cmrx_usleep(SPIN_US);
        int rc = probe();
        CHECK(rc == CMRX_OK || net_stack_restarted(rc));
        if (cmrx_process_restarts(PID_STACK) == restarts) {
            CHECK_EQ(cmrx_process_control(PID_ATTACKER, CMRX_PROC_RESTART), CMRX_OK);
        }
    }
    cmrx_printf("nlj: the stack restarted after round %d\n", round);
    /* Served again, a new socket works. */
    probe_since = cmrx_time_us() | 1u;
    int rc;
    while ((rc = net_wait_up(10000000u)) != CMRX_OK) {
        CHECK(net_stack_restarted(rc));
        cmrx_usleep(10000);
    }
    int s = net_socket(NET_UDP);
    CHECK(s > 0);
    CHECK_EQ(net_close(s), CMRX_OK);
    probe_since = 0;
    cmrx_printf("nlj: the stack serves again\n");
    PASS();
    return 0;
}

CMRX_THREAD(judge, NULL);
