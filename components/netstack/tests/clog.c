/* netstack test: a client that fills the stack's send memory
 * (unprivileged). It listens on port 11 and sends on every connection it
 * takes, without end, to peers that read nothing: what it sends stays in
 * lwIP's heap until the peers acknowledge it. Then it closes them all (a
 * closed connection's data stays queued in lwIP) and does it again on the
 * next connections. The echo service must still be served: it sends from
 * the same heap, and so do the acknowledgements of what it receives.
 *
 * Built with CLOG_ARP (process clogarp), it also keeps datagrams of its
 * own waiting in lwIP's ARP table: one of NET_UDP_MAX bytes to each of
 * ARP_ADDRS addresses of the board's subnet that nobody answers (QEMU's
 * user network answers only for its own), sent again every few
 * milliseconds. lwIP keeps the last datagram for each pending address in
 * the heap until the address resolves or is given up (5 s), then the
 * next one is queued again. It keeps sending on its connections while the
 * host checks the echo service, so that what lwIP frees goes back to it,
 * and closes them after. */
#include "listener.h"

#define CONNS 8 /* at once: their send buffers together exceed the heap */

static CMRX_SHARED uint8_t chunk[1024];
static CMRX_SHARED struct net_addr peer;
static CMRX_SHARED struct net_stats stats;

#ifdef CLOG_ARP
#define ARP_ADDRS 10 /* lwIP's ARP table (ARP_TABLE_SIZE) */
static CMRX_SHARED uint8_t dgram[NET_UDP_MAX];
static CMRX_SHARED struct net_msg msg;
static int udp = -1;
static unsigned parked; /* datagrams the stack took, in all */

/* A datagram to each address nobody answers: lwIP keeps it queued on the
 * pending ARP entry (in the heap) until it gives the address up. */
static void park(void)
{
    for (unsigned i = 0; i < ARP_ADDRS; i++) {
        msg = (struct net_msg){dgram, sizeof(dgram), {NET_IP4(10, 0, 2, 100 + i), 9, 0}};
        int rc = net_sendto(udp, &msg);
        CHECK(rc == (int)sizeof(dgram) || rc == NET_ENOBUFS);
        parked += rc > 0;
    }
}
#else
static void park(void)
{
}
#endif

/* Send once on each of @p c[0..n) and park; @return the bytes the stack took. */
static uint32_t press(const int *c, unsigned n)
{
    uint32_t taken = 0;
    for (unsigned i = 0; i < n; i++) {
        int rc = net_send(c[i], chunk, sizeof(chunk), 0);
        if (rc > 0) {
            taken += (uint32_t)rc;
        } else {
            CHECK(rc == CMRX_EAGAIN || rc == NET_ECONNRESET);
        }
    }
    park();
    cmrx_usleep(2000);
    return taken;
}

/* Send on each of @p c[0..n) until the stack takes nothing from any for
 * a second; @return the bytes it took. */
static uint32_t fill(const int *c, unsigned n)
{
    uint32_t taken = 0;
    uint32_t still = cmrx_time_us();
    while (cmrx_time_us() - still < 1000000u) {
        uint32_t took = press(c, n);
        taken += took;
        still = took ? cmrx_time_us() : still;
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
#ifdef CLOG_ARP
    udp = net_socket(NET_UDP);
    CHECK(udp > 0);
#endif
    int l = test_listen("clog", 11, 8);
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
            park();
        }
        uint32_t taken = fill(c, n);
        CHECK_EQ(net_stats(&stats), CMRX_OK);
        cmrx_printf("clog: round %u: %u connections, the stack took %u bytes, then no more "
                    "(send buffers %u of %u)\n",
                    round, n, (unsigned)taken, (unsigned)stats.tx_buffers,
                    (unsigned)stats.tx_buffers_max);
#ifdef CLOG_ARP
        /* While the host checks the echo service (15 s at most). */
        for (uint32_t start = cmrx_time_us(); cmrx_time_us() - start < 16000000u;) {
            press(c, n);
        }
        cmrx_printf("clog: round %u: %u datagrams parked on ARP in all\n", round, parked);
#endif
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
