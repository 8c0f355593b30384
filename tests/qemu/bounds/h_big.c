/* A process with 16 KiB of .bss (what a restart re-initialises). */
#include "bounds.h"

static volatile uint8_t big[16384];

static int idle(void *arg)
{
    (void)arg;
    big[0] = 1;
    for (;;) {
        cmrx_usleep(1000000);
    }
    return 0;
}
CMRX_THREAD(idle, NULL);
