/* Hostile: an updater commits process UPD_PID's large image over and over
 * (forced: versions 1 and 2 take turns, each slot holds one), so that the
 * kernel verifies an image (a slice per tick, and in the idle thread's
 * calls) or switches to it. A pause after each switch keeps the test's
 * QEMU time short; the slices are the same. */
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
        if (rc == CMRX_OK) {
            cmrx_usleep(20000);
        }
        cmrx_thread_yield();
    }
    return 0;
}
CMRX_THREAD(hostile, NULL);
