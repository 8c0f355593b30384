/* netstack test: a client that takes every socket it can and closes none
 * (unprivileged). Without sockets kept for it, the echo service could not
 * take one more connection: the stack refuses what has no socket. */
#include "check.h"
#include "netsock.h"

static int grab(void *arg)
{
    (void)arg;
    CHECK_EQ(net_wait_up(CMRX_FOREVER), CMRX_OK);
    cmrx_usleep(300000); /* the echo service has its sockets open */
    unsigned n = 0;
    int rc;
    while ((rc = net_socket(NET_UDP)) > 0) {
        n++;
    }
    CHECK_EQ(rc, NET_EMFILE);
    cmrx_printf("grab: took %u sockets, then NET_EMFILE\n", n);
    for (;;) {
        cmrx_usleep(1000000); /* holds them for good */
    }
    return 0;
}

CMRX_THREAD(grab, NULL);
