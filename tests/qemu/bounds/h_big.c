/* A process with 4 KiB of .data and 16 KiB of .bss (what a restart
 * re-initialises: copied, then zeroed, a chunk at a time). */
#include "bounds.h"

static volatile uint8_t big[16384];
static volatile uint8_t table[4096] = {1};

static int idle(void *arg)
{
    (void)arg;
    big[0] = table[0];
    for (;;) {
        cmrx_usleep(1000000);
    }
    return 0;
}
CMRX_THREAD(idle, NULL);
