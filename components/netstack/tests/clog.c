/* netstack test: a client that fills the stack's send memory
 * (unprivileged). It listens on port 11 and sends on every connection it
 * takes, without end, to peers that read nothing: what it sends stays in
 * lwIP's heap until the peers acknowledge it. Then it closes them all (a
 * closed connection's data stays queued in lwIP) and does it again on the
 * next connections. The echo service must still be served: it sends from
 * the same heap, and so do the acknowledgements of what it receives. */
#include "check.h"
#include "netsock.h"

#define CONNS 8 /* at once: their send buffers together exceed the heap */

static CMRX_SHARED uint8_t chunk[1024];
static CMRX_SHARED struct net_addr peer;
static CMRX_SHARED struct net_stats stats;

/* Send on each of @p c[0..n) until the stack takes nothing from any for
 * a second; @return the bytes it took. */
static uint32_t fill(const int *c, unsigned n)
{
    uint32_t taken = 0;
    uint32_t still = cmrx_time_us();
    while (cmrx_time_us() - still < 1000000u) {
        for (unsigned i = 0; i < n; i++) {
            int rc = net_send(c[i], chunk, sizeof(chunk), 0);
            if (rc > 0) {
                taken += (uint32_t)rc;
                still = cmrx_time_us();
            } else {
                CHECK(rc == CMRX_EAGAIN || rc == NET_ECONNRESET);
            }
        }
        cmrx_usleep(2000);
    }
    return taken;
}

static int clogger(void *arg)
{
    (void)arg;
    for (unsigned i = 0; i < sizeof(chunk); i++) {
        chunk[i] = (uint8_t)('a' + i % 26);
    }
    CHECK_EQ(net_wait_up(CMRX_FOREVER), CMRX_OK);
    int l = net_socket(NET_TCP);
    CHECK(l > 0);
    CHECK_EQ(net_bind(l, NET_ANY, 11), CMRX_OK);
    CHECK_EQ(net_listen(l, 8), CMRX_OK);
    cmrx_printf("clog: listening on port 11\n");
    for (unsigned round = 1;; round++) {
        int c[CONNS];
        unsigned n = 0;
        /* The host makes CONNS connections; those the stack refuses us
         * (sockets kept for others) never come: 10 s for the first, then
         * 3 s for the rest. */
        uint32_t since = cmrx_time_us();
        while (n < CONNS && cmrx_time_us() - since < (n ? 3000000u : 10000000u)) {
            int h = net_accept(l, &peer, 100000);
            if (h > 0) {
                c[n++] = h;
            }
        }
        uint32_t taken = fill(c, n);
        CHECK_EQ(net_stats(&stats), CMRX_OK);
        cmrx_printf("clog: round %u: %u connections, the stack took %u bytes, then no more "
                    "(send buffers %u of %u)\n",
                    round, n, (unsigned)taken, (unsigned)stats.tx_buffers,
                    (unsigned)stats.tx_buffers_max);
        for (unsigned i = 0; i < n; i++) {
            CHECK_EQ(net_close(c[i]), CMRX_OK);
        }
        cmrx_usleep(500000);
        CHECK_EQ(net_stats(&stats), CMRX_OK);
        cmrx_printf("clog: round %u: closed them (send buffers %u)\n", round,
                    (unsigned)stats.tx_buffers);
    }
    return 0;
}

CMRX_THREAD(clogger, NULL);
