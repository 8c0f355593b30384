/* A process that only exists: attacks that gain SYSTEM rights prove it by
 * killing it. */
#include "attack.h"

static int idle(void *arg)
{
    (void)arg;
    for (;;) {
        cmrx_usleep(100000);
    }
    return 0;
}
CMRX_THREAD(idle, NULL);
