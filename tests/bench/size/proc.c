/* One thread that sleeps forever: the smallest useful process. */
#include <cmrx/cmrx.h>

static int idle_forever(void *arg)
{
    (void)arg;
    for (;;) {
        cmrx_usleep(1000000);
    }
    return 0;
}

CMRX_THREAD(idle_forever, NULL);
