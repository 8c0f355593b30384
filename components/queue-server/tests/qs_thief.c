/* queue-server restart attack, attacker: takes over the queue of a
 * consumer that waits out its restart back-off and reads its message. */
#include <cmrx/time.h>

#include "check.h"
#include "qs_test.h"
#include "queue_server.h"

static CMRX_SHARED char got[RESTART_MSG];

static int thief_thread(void *arg)
{
    (void)arg;
    /* 25 ms of the clock, which cover the victim's 10 ms back-off, not a
     * count of sleeps: a sleep may take longer than asked (a loaded host
     * simulation). */
    uint32_t start = cmrx_time_us();
    while (cmrx_time_us() - start < 25000u) {
        cmrx_usleep(1000);
        if (queue_create(Q_RESTART, 2, RESTART_MSG) == CMRX_OK) {
            if (queue_receive(Q_RESTART, got, sizeof(got), 0) > 0) {
                cmrx_printf("ATTACK SUCCEEDED: read \"%s\" from a restarting consumer's queue\n",
                            got);
                return 0;
            }
        }
    }
    cmrx_printf("qs_thief: never got the queue\n");
    return 0;
}

CMRX_THREAD(thief_thread, NULL);
