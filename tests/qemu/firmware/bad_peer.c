/* A process whose thread the bad_arguments test tries to reach. */
#include <cmrx/cmrx.h>

#include <stdint.h>

CMRX_EXPORT volatile int bad_peer_tid = -1;
CMRX_EXPORT volatile uint32_t bad_peer_word;

static int idle_loop(void *arg)
{
    (void)arg;
    /* Not a SYSTEM process: may not stop the system. */
    if (cmrx_shutdown(5) == CMRX_EPERM) {
        cmrx_printf("bad_peer: shutdown refused\n");
    }
    for (;;) {
        cmrx_usleep(100000);
    }
    return 0;
}

CMRX_THREAD(idle_loop, NULL);
