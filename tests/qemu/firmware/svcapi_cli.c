/* Services learn their caller and check lent buffers; a SYSTEM process
 * can kill and restart another; others cannot. */
#include "check.h"
#include "svcapi.h"

#define PID_CLIENT 0
#define PID_SERVER 1
#define PID_OTHER  2

static CMRX_SHARED uint8_t lend[32];
static uint8_t keep[32];

static int main_thread(void *arg)
{
    (void)arg;
    cmrx_usleep(2000); /* let the others start */
    CHECK_EQ(cmrx_process_self(), PID_CLIENT);
    CHECK_EQ(cmrx_rpc_caller(), CMRX_ESRCH); /* not serving a call */
    CHECK_EQ(cmrx_rpc_call(&probe_service, who), PID_CLIENT);
    CHECK_EQ(cmrx_rpc_call(&probe_service, check, lend, sizeof(lend)), CMRX_OK);
    CHECK_EQ(cmrx_rpc_call(&probe_service, check, lend + 16, 17), CMRX_EFAULT);
    CHECK_EQ(cmrx_rpc_call(&probe_service, check, keep, 4), CMRX_EFAULT);
    CHECK_EQ(cmrx_rpc_call(&probe_service, check, probe_private, 4), CMRX_EFAULT);

    CHECK_EQ(cmrx_process_control(PID_SERVER, CMRX_PROC_STATE), 0);
    CHECK_EQ(cmrx_process_control(PID_SERVER, CMRX_PROC_KILL), CMRX_OK);
    CHECK_EQ(cmrx_process_control(PID_SERVER, CMRX_PROC_STATE), 1);
    CHECK_EQ(cmrx_rpc_call(&probe_service, who), CMRX_ERPC_DEAD);
    CHECK_EQ(cmrx_process_control(PID_SERVER, CMRX_PROC_RESTART), CMRX_OK);
    CHECK_EQ(cmrx_process_control(PID_SERVER, CMRX_PROC_STATE), 0);
    CHECK_EQ(cmrx_process_restarts(PID_SERVER), 1);
    CHECK_EQ(cmrx_rpc_call(&probe_service, who), PID_CLIENT);
    CHECK_EQ(cmrx_process_control(9, CMRX_PROC_STATE), CMRX_EINVAL);
    cmrx_usleep(3000);
    PASS();
    return 0;
}

CMRX_THREAD(main_thread, NULL);
