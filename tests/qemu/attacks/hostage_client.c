/* The client held hostage (a_hostage.c): restart policy; one thread
 * calls the trap, another faults 5 ms later. Each start says how many
 * restarts it has seen. */
#include "hostage_iface.h"

static int caller(void *arg)
{
    (void)arg;
    cmrx_printf("hostage_client: started, restarts=%d\n",
                cmrx_process_restarts((unsigned)cmrx_process_self()));
    if (cmrx_process_restarts((unsigned)cmrx_process_self()) == 0) {
        cmrx_rpc_call(&trap, hold);
    }
    for (;;) {
        cmrx_usleep(100000);
    }
    return 0;
}
CMRX_THREAD(caller, NULL);

static int faulter(void *arg)
{
    (void)arg;
    if (cmrx_process_restarts((unsigned)cmrx_process_self()) == 0) {
        cmrx_usleep(5000);
        __asm volatile("udf #4");
    }
    return 0;
}
CMRX_THREAD(faulter, NULL);
