/* queue-server test, a process that takes all of the pool it can: when
 * qs_main restarts it (its restart count is the start signal), it makes
 * the largest queues that fit on the numbers Q_HOG_FIRST .. QUEUE_MAX - 1,
 * until a queue of one 4-byte message no longer fits, and sends qs_main
 * the bytes it took. The parts of the pool the build keeps for named
 * processes (the `reserve` setting) must stay theirs. */
#include "check.h"
#include "qs_test.h"
#include "queue_server.h"

static CMRX_SHARED uint32_t taken;

static int hog(void *arg)
{
    (void)arg;
    if (cmrx_process_restarts((unsigned)cmrx_process_self()) == 0) {
        return 0; /* not yet */
    }
    uint32_t slot = 8u; /* a 4-byte message and its length word */
    for (uint32_t id = Q_HOG_FIRST; id < QUEUE_MAX; id++) {
        uint32_t depth = QUEUE_POOL / slot;
        while (depth > 0 && queue_create(id, depth, 4) == QUEUE_ENOMEM) {
            depth--;
        }
        if (depth == 0) {
            break; /* not even one message fits anywhere it may take */
        }
        taken += depth * slot;
    }
    CHECK_EQ(queue_send(Q_HOG_DONE, &taken, sizeof(taken), 0), CMRX_OK);
    return 0;
}

CMRX_THREAD(hog, NULL);
