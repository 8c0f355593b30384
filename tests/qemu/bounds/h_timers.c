/* Hostile: 16 threads with periodic timers of the same period, expiring
 * together every tick. */
#include "bounds.h"

static int ticker(void *arg)
{
    (void)arg;
    cmrx_setitimer(CMRX_TICK_US);
    for (;;) {
        cmrx_signal_wait(CMRX_SIGALRM, CMRX_FOREVER);
    }
    return 0;
}

static int hostile(void *arg)
{
    (void)arg;
    for (int i = 0; i < 15; i++) {
        cmrx_thread_create(ticker, NULL, 20);
    }
    return ticker(NULL);
}
CMRX_THREAD(hostile, NULL);
