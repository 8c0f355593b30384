/* Hostile: a SYSTEM process restarts a process with 16 KiB of .bss over and
 * over (a supervisor's restarts do not back off). */
#include "bounds.h"

static int hostile(void *arg)
{
    (void)arg;
    for (;;) {
        cmrx_process_control(BIG_PID, CMRX_PROC_RESTART);
        cmrx_thread_yield();
    }
    return 0;
}
CMRX_THREAD(hostile, NULL);
