/* queue-server restart attack, victim: the consumer of queue Q_RESTART,
 * with the restart policy, faults twice in a row; the second quick fault
 * makes the kernel wait 10 ms before restarting it. A message sent to it
 * before must be its own when it is back. SYSTEM only to end the test. */
#include <string.h>

#include "check.h"
#include "qs_test.h"
#include "queue_server.h"

static const char secret[RESTART_MSG] = "for qs_rvictim";
static CMRX_SHARED char buf[RESTART_MSG]; /* what crosses to the server */

static int victim_thread(void *arg)
{
    (void)arg;
    int start = cmrx_process_restarts((unsigned)cmrx_process_self());
    CHECK_EQ(queue_create(Q_RESTART, 2, RESTART_MSG), CMRX_OK); /* its own again */
    if (start == 0) {
        cmrx_usleep(2000); /* qs_thief is polling */
        __builtin_trap();  /* restarted at once */
    }
    if (start == 1) {
        memcpy(buf, secret, RESTART_MSG);
        CHECK_EQ(queue_send(Q_RESTART, buf, RESTART_MSG, 0), CMRX_OK);
        __builtin_trap(); /* a quick second fault: restarted in 10 ms */
    }
    memset(buf, 0, RESTART_MSG);
    CHECK_EQ(queue_receive(Q_RESTART, buf, RESTART_MSG, 0), RESTART_MSG);
    CHECK(memcmp(buf, secret, RESTART_MSG) == 0);
    cmrx_printf("qs_rvictim: kept its queue and message through its restarts\n");
    cmrx_usleep(100000); /* qs_thief has given up well before */
    PASS();
    return 0;
}

CMRX_THREAD(victim_thread, NULL);
