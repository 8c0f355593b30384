/* The client of the doomed-thread test: its only thread goes into the
 * service and blocks there. The process has one thread slot, so it can
 * start again only once the kernel has got that thread back. */
#include "check.h"
#include "doomed.h"

static int client_main(void *arg)
{
    (void)arg;
    cmrx_printf("dm_client: started, restarts=%d\n",
                cmrx_process_restarts((unsigned)cmrx_process_self()));
    int r = cmrx_rpc_call(&doomed_srv, block);
    CHECK_FAIL_("dm_client came back from the service (%d)", r);
    return 0;
}

CMRX_THREAD(client_main, NULL);
