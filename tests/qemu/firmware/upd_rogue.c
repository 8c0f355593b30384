/* A process without the right to update: refused, whatever it asks. */
#include "check.h"
#include "upd.h"

static int rogue(void *arg)
{
    (void)arg;
    static const uint8_t junk[16];
    CHECK_EQ(cmrx_update_write(UPD_PID_SVC, 0, junk, sizeof(junk)), CMRX_EPERM);
    CHECK_EQ(cmrx_update_commit(UPD_PID_SVC, CMRX_UPDATE_FORCE), CMRX_EPERM);
    static struct cmrx_update_info info;
    CHECK_EQ(cmrx_update_info(UPD_PID_SVC, &info), CMRX_EPERM);
    cmrx_printf("upd_rogue: refused: no right to update\n");
    return 0;
}

CMRX_THREAD(rogue, NULL);
