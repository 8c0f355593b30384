/* Hostile: an updater commits process UPD_PID's large image over and over
 * (forced: versions 1 and 2 take turns, each slot holds one), so that the
 * kernel is always verifying an image or switching to it. */
#include "bounds.h"

#include <cmrx/update.h>

static int hostile(void *arg)
{
    (void)arg;
    for (;;) {
        int rc = cmrx_update_commit(UPD_PID, CMRX_UPDATE_FORCE);
        if (rc != CMRX_OK && rc != CMRX_EBUSY) { /* busy: the last switch is under way */
            cmrx_printf("CHECK FAILED bh_update: commit %d\n", rc);
            cmrx_shutdown(1);
        }
        cmrx_thread_yield();
    }
    return 0;
}
CMRX_THREAD(hostile, NULL);
