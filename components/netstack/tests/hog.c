/* netstack test: a client that hoards receive buffers (unprivileged). It
 * listens on port 9, takes every connection and never reads from it: what
 * its peers send stays in the stack's buffers, up to the receive window of
 * each connection. The other applications (the echo service) must still
 * be served. */
#include "check.h"
#include "netdev.h"
#include "netsock.h"

extern struct netdev netdev_eth0;

/* Built twice: hog (port 9) and, with HOG_SECOND, hog2 (port 10): two
 * processes that hoard together, each below half of the buffers. */
#ifdef HOG_SECOND
#define PORT 10
#define NAME "hog2"
#else
#define PORT 9
#define NAME "hog"
#endif

static CMRX_SHARED struct net_addr peer;

/* The first hog alone makes the checks below. */
#ifndef HOG_SECOND
static CMRX_SHARED uint8_t buf[64];
static CMRX_SHARED struct net_msg msg;
static CMRX_SHARED struct net_pollfd fds[2];

/* Lengths that overflow, buffers that wrap around the address space:
 * refused before the stack touches anything (regression checks). */
static void bad_lengths(int tcp)
{
    int udp = net_socket(NET_UDP);
    CHECK(udp > 0);
    CHECK_EQ(net_send(tcp, (const void *)0xffffff00u, 0x200u, 0), CMRX_EFAULT);
    CHECK_EQ(net_send(tcp, buf, 0xffffffffu, 0), NET_EMSGSIZE);
    CHECK_EQ(net_recv(tcp, buf, 0x80000000u, 0), NET_EMSGSIZE);
    CHECK_EQ(net_recv(tcp, buf, sizeof(buf) + 0xfffff000u, 0), NET_EMSGSIZE);
    CHECK_EQ(net_poll(fds, 0xffffffffu, 0), CMRX_EINVAL);
    CHECK_EQ(net_poll((struct net_pollfd *)0xfffffff8u, 2, 0), CMRX_EFAULT);
    msg.buf = buf;
    msg.len = 0xffffffffu;
    msg.addr.ip = NET_IP4(10, 0, 2, 2);
    msg.addr.port = 9;
    CHECK_EQ(net_sendto(udp, &msg), NET_EMSGSIZE);
    CHECK_EQ(net_recvfrom(udp, &msg, 0), NET_EMSGSIZE);
    msg.buf = (void *)0xfffffff0u;
    msg.len = 0x20u;
    CHECK_EQ(net_sendto(udp, &msg), CMRX_EFAULT);
    CHECK_EQ(net_recvfrom(udp, &msg, 0), CMRX_EFAULT);
    CHECK_EQ(net_recvfrom(udp, (struct net_msg *)0xfffffffcu, 0), CMRX_EFAULT);
    CHECK_EQ(net_close(udp), CMRX_OK);
    cmrx_printf("hog: overflowing lengths refused\n");
}

/* The NIC's driver serves the stack alone (lan9118's `callers`): the
 * kernel refuses every call of ours, before the driver runs (its stats
 * too, which the driver itself would give anyone). */
static CMRX_SHARED struct netdev_info nic;
static CMRX_SHARED struct netdev_stats nic_stats;

static void nic_refused(void)
{
    CHECK_EQ(cmrx_rpc_call(&netdev_eth0, open, &nic), CMRX_EPERM);
    CHECK_EQ(cmrx_rpc_call(&netdev_eth0, send, buf, 60), CMRX_EPERM);
    CHECK_EQ(cmrx_rpc_call(&netdev_eth0, stats, &nic_stats), CMRX_EPERM);
    cmrx_printf("hog: the NIC's driver refuses it\n");
}
#endif

/* The echo service's port is kept for it (the netstack's `ports`): a
 * process that binds it first, or while echo restarts, would be the echo
 * service to every peer. Refused whoever comes first, TCP and UDP. */
static void port_refused(void)
{
    int t = net_socket(NET_TCP);
    int u = net_socket(NET_UDP);
    CHECK(t > 0 && u > 0);
    CHECK_EQ(net_bind(t, NET_ANY, 7), CMRX_EPERM);
    CHECK_EQ(net_bind(u, NET_ANY, 7), CMRX_EPERM);
    CHECK_EQ(net_bind(u, NET_IP4(10, 0, 2, 15), 7), CMRX_EPERM);
    CHECK_EQ(net_close(t), CMRX_OK);
    CHECK_EQ(net_close(u), CMRX_OK);
    /* Said by its "listening" line, which follows: a line of its own here
     * would be one more to interleave with the others' at boot. */
}

static int hog(void *arg)
{
    (void)arg;
    CHECK_EQ(net_wait_up(CMRX_FOREVER), CMRX_OK);
    port_refused();
    int l = net_socket(NET_TCP);
    CHECK(l > 0);
    CHECK_EQ(net_bind(l, NET_ANY, PORT), CMRX_OK);
    CHECK_EQ(net_listen(l, 8), CMRX_OK);
#ifndef HOG_SECOND
    bad_lengths(l);
    nic_refused();
#endif
    cmrx_printf(NAME ": listening on port %d\n", PORT);
    unsigned n = 0;
    for (;;) {
        int c = net_accept(l, &peer, CMRX_FOREVER);
        if (c > 0) {
            cmrx_printf(NAME ": holding connection %u, reading nothing\n", ++n);
        } else {
            cmrx_usleep(10000);
        }
    }
    return 0;
}

CMRX_THREAD(hog, NULL);
