/* queue-server test, a sender qs_main kills while it waits in the server
 * for room in Q_DOOMED (depth 1): its first message fits, its second
 * waits for good. What it leaves behind must not cost the server its
 * lock, the queue a slot, or anyone a message ("d2" must never arrive).
 * Before, it fills its own queue Q_KEPT_DOOMED (kept for it): killed, its
 * queue is taken over by no other process. */
#include <string.h>

#include "check.h"
#include "qs_test.h"
#include "queue_server.h"

static CMRX_SHARED char msg[4];

static int sender(void *arg)
{
    (void)arg;
    int rc;
    CHECK_EQ(queue_create(Q_KEPT_DOOMED, 1, 4), CMRX_OK);
    memcpy(msg, "key", 4);
    CHECK_EQ(queue_send(Q_KEPT_DOOMED, msg, 4, 0), CMRX_OK);
    msg[0] = 'd';
    msg[1] = '1';
    while ((rc = queue_send(Q_DOOMED, msg, 2, 0)) == QUEUE_ENOENT) {
        cmrx_usleep(500); /* not created yet */
    }
    CHECK_EQ(rc, CMRX_OK);
    msg[1] = '2';
    rc = queue_send(Q_DOOMED, msg, 2, CMRX_FOREVER);
    cmrx_printf("qs_doomed: send returned %d\n", rc); /* never: it is killed */
    return rc;
}

CMRX_THREAD(sender, NULL);
