/* A process killed or restarted while its thread is blocked inside another
 * process's service: the service's wait ends with CMRX_EKILLED, the thread
 * may block no more, it dies when it is back home, and its slot is free
 * again (a restart waits for that). */
#include "check.h"
#include "doomed.h"

#define PID_CLIENT 2

/* Wait until the client's thread is blocked inside the service. */
static void wait_client_inside(void)
{
    for (int i = 0; i < 100 && cmrx_rpc_call(&doomed_srv, inside) == 0; i++) {
        cmrx_usleep(1000);
    }
    CHECK_EQ(cmrx_rpc_call(&doomed_srv, inside), 1);
}

static int main_thread(void *arg)
{
    (void)arg;
    wait_client_inside();
    CHECK_EQ(cmrx_process_restarts(PID_CLIENT), 0);

    /* Restart: it happens once the thread has left the service. */
    CHECK_EQ(cmrx_process_control(PID_CLIENT, CMRX_PROC_RESTART), CMRX_OK);
    cmrx_usleep(2000);
    CHECK_EQ(cmrx_rpc_call(&doomed_srv, ended), 1);
    CHECK_EQ(cmrx_process_restarts(PID_CLIENT), 1);
    CHECK_EQ(cmrx_process_control(PID_CLIENT, CMRX_PROC_STATE), 0);
    wait_client_inside(); /* the restarted client got its one slot back */

    /* Kill: the slot is freed too, so a later restart is immediate. */
    CHECK_EQ(cmrx_process_control(PID_CLIENT, CMRX_PROC_KILL), CMRX_OK);
    cmrx_usleep(2000);
    CHECK_EQ(cmrx_rpc_call(&doomed_srv, ended), 2);
    CHECK_EQ(cmrx_rpc_call(&doomed_srv, inside), 0);
    CHECK_EQ(cmrx_process_control(PID_CLIENT, CMRX_PROC_STATE), 1);
    CHECK_EQ(cmrx_process_control(PID_CLIENT, CMRX_PROC_RESTART), CMRX_OK);
    CHECK_EQ(cmrx_process_restarts(PID_CLIENT), 2);
    wait_client_inside();
    PASS();
    return 0;
}

CMRX_THREAD(main_thread, NULL);
