/* netstack test: a client that hoards receive buffers (unprivileged). It
 * listens on port 9, takes every connection and never reads from it: what
 * its peers send stays in the stack's buffers, up to the receive window of
 * each connection. The other applications (the echo service) must still
 * be served. */
#include "check.h"
#include "netsock.h"

#define PORT 9

static CMRX_SHARED struct net_addr peer;

static int hog(void *arg)
{
    (void)arg;
    CHECK_EQ(net_wait_up(CMRX_FOREVER), CMRX_OK);
    int l = net_socket(NET_TCP);
    CHECK(l > 0);
    CHECK_EQ(net_bind(l, NET_ANY, PORT), CMRX_OK);
    CHECK_EQ(net_listen(l, 8), CMRX_OK);
    cmrx_printf("hog: listening on port %d\n", PORT);
    unsigned n = 0;
    for (;;) {
        int c = net_accept(l, &peer, CMRX_FOREVER);
        if (c > 0) {
            cmrx_printf("hog: holding connection %u, reading nothing\n", ++n);
        } else {
            cmrx_usleep(10000);
        }
    }
    return 0;
}

CMRX_THREAD(hog, NULL);
