/* queue-server test, a sender killed while it waits for room and promised
 * a slot before it could leave. It starts sending only when qs_main
 * restarts it (its restart count is the start signal) and waits in Q_LATE
 * at a priority below qs_main's: qs_main kills it, then frees a slot,
 * which goes to it before it runs. The slot must pass to the next sender
 * instead of staying promised for good. */
#include <string.h>

#include "check.h"
#include "qs_test.h"
#include "queue_server.h"

static CMRX_SHARED char msg[4];

static int sender(void *arg)
{
    (void)arg;
    if (cmrx_process_restarts((unsigned)cmrx_process_self()) == 0) {
        return 0; /* not yet: qs_main restarts it when Q_LATE is full */
    }
    memcpy(msg, "L", 2);
    int rc = queue_send(Q_LATE, msg, 2, CMRX_FOREVER);
    cmrx_printf("qs_late: send returned %d\n", rc); /* never: it is killed */
    return rc;
}

CMRX_THREAD(sender, NULL);
