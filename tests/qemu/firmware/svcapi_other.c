/* Not a SYSTEM process: may look, may not kill. */
#include <cmrx/cmrx.h>

static int try_kill(void *arg)
{
    (void)arg;
    if (cmrx_process_control(1, CMRX_PROC_KILL) == CMRX_EPERM &&
        cmrx_process_control(1, CMRX_PROC_STATE) == 0) {
        cmrx_printf("svcapi_other: refused\n");
    }
    return 0;
}

CMRX_THREAD(try_kill, NULL);
