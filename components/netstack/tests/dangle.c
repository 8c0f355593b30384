/* netstack test: a client that keeps a connection lwIP has freed
 * (unprivileged). It listens on port 13 and takes the host's connection;
 * the host closes its side. The client shuts its socket down for reading,
 * then for writing (two calls): lwIP sends its FIN and, once the host
 * acknowledges it, frees the connection without a callback (shut for
 * reading, lwIP tells no one). The socket is still open. The host then
 * connects to the echo service, whose new connection lwIP takes from the
 * same place; the client closes its socket: the stack would close what
 * the socket still points at, the echo service's connection. */
#include "listener.h"

static CMRX_SHARED struct net_addr peer;
static CMRX_SHARED struct net_stats stats;
static CMRX_SHARED uint8_t byte[1];

static int dangler(void *arg)
{
    (void)arg;
    int l = test_listen("dangle", 13, 1);
    int c = net_accept(l, &peer, CMRX_FOREVER);
    CHECK(c > 0);
    CHECK_EQ(net_recv(c, byte, 1, CMRX_FOREVER), 0); /* the host closed its side */
    CHECK_EQ(net_shutdown(c, NET_SHUT_RD), CMRX_OK);
    CHECK_EQ(net_shutdown(c, NET_SHUT_WR), CMRX_OK);
    cmrx_usleep(500000); /* the host acknowledges the FIN */
    CHECK_EQ(net_stats(&stats), CMRX_OK);
    uint32_t accepted = stats.tcp_accepted;
    cmrx_printf("dangle: shut down both ways, the connection finished\n");
    /* The echo service's connection: the next one the stack takes. */
    while (stats.tcp_accepted == accepted) {
        cmrx_usleep(10000);
        CHECK_EQ(net_stats(&stats), CMRX_OK);
    }
    cmrx_usleep(300000); /* its first echo comes back */
    int rc = net_close(c);
    cmrx_printf("dangle: closed its socket (%d)\n", rc);
    for (;;) {
        cmrx_usleep(1000000);
    }
    return 0;
}

CMRX_THREAD(dangler, NULL);
