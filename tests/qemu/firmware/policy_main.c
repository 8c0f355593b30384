/* Fault policies: a restart policy brings the process back with fresh data
 * and counts the restart; kill-process takes it down for good, and calls
 * in flight or to come fail cleanly. */
#include "check.h"
#include "victim.h"

extern struct victim restarter;
extern struct victim killed;

#define PID_RESTARTER 1
#define PID_KILLED    2

static volatile int lingering_result = 1;

static int linger_in_killed(void *arg)
{
    (void)arg;
    lingering_result = cmrx_rpc_call(&killed, linger, 50000);
    return 0;
}

static int main_thread(void *arg)
{
    (void)arg;
    cmrx_usleep(2000); /* let both services announce themselves */

    /* restart */
    CHECK_EQ(cmrx_rpc_call(&restarter, bump), 8);
    CHECK_EQ(cmrx_rpc_call(&restarter, bump), 9);
    CHECK_EQ(cmrx_process_restarts(PID_RESTARTER), 0);
    CHECK_EQ(cmrx_rpc_call(&restarter, crash), CMRX_ERPC_FAULT);
    CHECK_EQ(cmrx_process_restarts(PID_RESTARTER), 1);
    CHECK_EQ(cmrx_rpc_call(&restarter, bump), 8); /* fresh .data */
    CHECK_EQ(cmrx_process_restarts(99), CMRX_EINVAL);

    /* kill-process, with another thread of ours inside it */
    cmrx_tid_t t = cmrx_thread_create(linger_in_killed, NULL, 8);
    cmrx_usleep(2000);
    CHECK_EQ(lingering_result, 1); /* still inside */
    CHECK_EQ(cmrx_rpc_call(&killed, crash), CMRX_ERPC_FAULT);
    CHECK_EQ(cmrx_thread_join(t, NULL), CMRX_OK);
    CHECK_EQ(lingering_result, CMRX_ERPC_DEAD);
    CHECK_EQ(cmrx_rpc_call(&killed, bump), CMRX_ERPC_DEAD);
    CHECK_EQ(cmrx_process_restarts(PID_KILLED), 0);
    cmrx_usleep(3000);
    PASS();
    return 0;
}

CMRX_THREAD(main_thread, NULL);
