/* An updater that commits when the controller notifies upd_waiter_go, and is
 * killed while it waits for the kernel's verification: its commit must
 * never return, and nothing may switch. */
#include "upd.h"

CMRX_EXPORT volatile uint32_t upd_waiter_go;

static int waiter(void *arg)
{
    (void)arg;
    cmrx_wait(&upd_waiter_go, 0, CMRX_FOREVER); /* the controller's notify */
    int rc = cmrx_update_commit(UPD_PID_SVC, 0);
    cmrx_printf("upd_waiter: commit returned %d\n", rc); /* killed before */
    return 0;
}

CMRX_THREAD(waiter, NULL);
