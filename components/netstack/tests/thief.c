/* netstack test: a client that steals another process's listening port
 * (unprivileged). The status page listens on port 80 of any address; the
 * thief binds the same port on the board's own address, which lwIP ranks
 * above a listener on any address, and listens: every connection to port
 * 80 would come to it. Port 80 is not kept (`ports`): the first to listen
 * serves it, and another listener on it must be refused. */
#include "check.h"
#include "netsock.h"

static CMRX_SHARED struct net_ifinfo nif;
static CMRX_SHARED struct net_addr peer;

static int thief(void *arg)
{
    (void)arg;
    CHECK_EQ(net_wait_up(CMRX_FOREVER), CMRX_OK);
    cmrx_usleep(300000); /* the status page listens by now */
    CHECK_EQ(net_ifconfig(&nif), CMRX_OK);
    /* On its address, and on any address (which lwIP itself refuses). */
    const uint32_t ips[] = {nif.ip, NET_ANY};
    int taken = -1;
    for (unsigned i = 0; i < 2u && taken < 0; i++) {
        int l = net_socket(NET_TCP);
        CHECK(l > 0);
        int rc = net_bind(l, ips[i], 80);
        rc = rc < 0 ? rc : net_listen(l, 4);
        if (rc == CMRX_OK) {
            taken = l;
        } else {
            CHECK_EQ(rc, NET_EADDRINUSE);
            CHECK_EQ(net_close(l), CMRX_OK);
        }
    }
    if (taken < 0) {
        cmrx_printf("thief: port 80 refused on both addresses\n");
        for (;;) {
            cmrx_usleep(1000000);
        }
    }
    cmrx_printf("thief: listening on port 80 beside the status page\n");
    for (;;) {
        int c = net_accept(taken, &peer, CMRX_FOREVER);
        if (c > 0) {
            cmrx_printf("ATTACK SUCCEEDED: the thief took a connection to port 80\n");
            net_close(c);
        }
    }
    return 0;
}

CMRX_THREAD(thief, NULL);
