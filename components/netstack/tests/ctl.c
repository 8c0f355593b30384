/* netstack test: the controller. At boot it makes every bad call of
 * netsock.h and checks the documented error; then it serves the host's
 * commands on TCP port 9000, one line each:
 *   connect PORT   connect to the host's 127.0.0.1:PORT (10.0.2.2 here),
 *                  non-blocking, and exchange a line; answer "ok"
 *   refused PORT   a blocking connect to a closed port: NET_ECONNREFUSED
 *   fault-driver   make the NIC driver fault (its test hook); answer the code
 *   fault-stack    make the stack fault while it holds its lock; the
 *                  connection dies with it: reconnect
 *   done           end the test (PASS)
 */
#include <string.h>

#include "check.h"
#include "netsock.h"

struct lan9118_fault;
struct lan9118_fault_vtable {
    int (*fault)(struct lan9118_fault *self);
};
struct lan9118_fault {
    const struct lan9118_fault_vtable *vtable;
};
struct netstack_fault;
struct netstack_fault_vtable {
    int (*fault)(struct netstack_fault *self);
};
struct netstack_fault {
    const struct netstack_fault_vtable *vtable;
};
extern struct lan9118_fault lan9118_fault;
extern struct netstack_fault netstack_fault;

#define GW NET_IP4(10, 0, 2, 2)

static CMRX_SHARED char buf[512];
static CMRX_SHARED struct net_stats st;
static CMRX_SHARED struct net_msg msg;
static CMRX_SHARED struct net_pollfd pfd[NET_POLL_MAX + 1];
static CMRX_SHARED struct net_ifinfo ifc;
static CMRX_SHARED struct net_addr peer;
static char private_buf[64]; /* not shared: the stack must refuse it */
static struct net_msg private_msg;
static struct net_pollfd private_fds[2];
static int table[64];

static void bad_calls(void)
{
    CHECK_EQ(net_wait_up(10000000u), CMRX_OK);
    cmrx_usleep(300000); /* the echo and status services have their sockets open */

    /* Handles that are not sockets, or not ours. */
    CHECK_EQ(net_close(0), NET_EBADF);
    CHECK_EQ(net_close(-5), NET_EBADF);
    int epoch = net_stats(&st) == CMRX_OK ? (int)st.epoch : -1;
    CHECK(epoch >= 0);
    CHECK_EQ(net_send((epoch & 0x7F) << 16 | 0xFFFF, buf, 1, 0), NET_EBADF);
    CHECK_EQ(net_send(1 << 24, buf, 1, 0), NET_EBADF);
    CHECK_EQ(net_close(((epoch + 1) & 0x7F) << 16 | 1), NET_ESTALE);
    int foreign = 0;
    for (int idx = 1; idx <= 64; idx++) {
        for (int gen = 0; gen < 4; gen++) {
            int h = (epoch & 0x7F) << 16 | gen << 8 | idx;
            int rc = net_close(h);
            CHECK(rc == NET_EBADF || rc == CMRX_EPERM);
            if (rc == CMRX_EPERM) {
                foreign++;
                CHECK_EQ(net_send(h, buf, 1, 0), CMRX_EPERM);
                CHECK_EQ(net_recv(h, buf, 1, 0), CMRX_EPERM);
                CHECK_EQ(net_shutdown(h, NET_SHUT_RDWR), CMRX_EPERM);
            }
        }
    }
    CHECK(foreign >= 3); /* echo's TCP and UDP listeners, status's (at least) */

    /* Buffers outside the caller's shared memory, and past its end. */
    int u = net_socket(NET_UDP);
    CHECK(u > 0);
    CHECK_EQ(net_bind(u, NET_ANY, 4000), CMRX_OK);
    int t = net_socket(NET_TCP);
    CHECK(t > 0);
    CHECK_EQ(net_send(t, private_buf, 4, 0), CMRX_EFAULT);
    CHECK_EQ(net_recv(t, private_buf, 4, 0), CMRX_EFAULT);
    CHECK_EQ(net_send(t, buf, NET_IO_MAX, 0), CMRX_EFAULT); /* past the end of shared memory */
    CHECK_EQ(net_sendto(u, &private_msg), CMRX_EFAULT);
    msg = (struct net_msg){private_buf, 4, {GW, 9, 0}};
    CHECK_EQ(net_sendto(u, &msg), CMRX_EFAULT);
    msg = (struct net_msg){private_buf, 4, {0, 0, 0}};
    CHECK_EQ(net_recvfrom(u, &msg, 0), CMRX_EFAULT);
    CHECK_EQ(net_poll(private_fds, 2, 0), CMRX_EFAULT);
    CHECK_EQ(net_ifconfig((struct net_ifinfo *)(void *)private_buf), CMRX_EFAULT);
    CHECK_EQ(net_accept(t, (struct net_addr *)(void *)private_buf, 0), CMRX_EFAULT);

    /* Zero-length and oversized buffers, and other arguments out of range. */
    CHECK_EQ(net_send(t, buf, 0, 0), CMRX_EINVAL);
    CHECK_EQ(net_recv(t, buf, 0, 0), CMRX_EINVAL);
    CHECK_EQ(net_send(t, buf, NET_IO_MAX + 1, 0), NET_EMSGSIZE);
    msg = (struct net_msg){buf, 0, {GW, 9, 0}};
    CHECK_EQ(net_sendto(u, &msg), CMRX_EINVAL);
    msg = (struct net_msg){buf, NET_UDP_MAX + 1, {GW, 9, 0}};
    CHECK_EQ(net_sendto(u, &msg), NET_EMSGSIZE);
    CHECK_EQ(net_poll(pfd, 0, 0), CMRX_EINVAL);
    CHECK_EQ(net_poll(pfd, NET_POLL_MAX + 1, 0), CMRX_EINVAL);
    CHECK_EQ(net_socket(3), CMRX_EINVAL);
    CHECK_EQ(net_listen(t, 0), CMRX_EINVAL);
    CHECK_EQ(net_shutdown(t, 7), CMRX_EINVAL);

    /* The wrong kind of socket, or one in the wrong state. */
    CHECK_EQ(net_listen(u, 1), NET_EOPNOTSUPP);
    CHECK_EQ(net_recv(u, buf, 4, 0), NET_EOPNOTSUPP);
    msg = (struct net_msg){buf, 4, {GW, 9, 0}};
    CHECK_EQ(net_sendto(t, &msg), NET_EOPNOTSUPP);
    CHECK_EQ(net_recv(t, buf, 4, 0), NET_ENOTCONN);
    CHECK_EQ(net_send(t, buf, 4, 0), NET_ENOTCONN);
    CHECK_EQ(net_listen(t, 2), CMRX_EINVAL);     /* not bound */
    int t2 = net_socket(NET_TCP);                /* port 80 is the status page's */
    CHECK_EQ(net_bind(t2, NET_ANY, 80), CMRX_OK); /* (it may be bound, as after TIME_WAIT) */
    CHECK_EQ(net_listen(t2, 2), NET_EADDRINUSE);
    /* Port 7 is kept for the echo service (setting `ports`): refused
     * even to a SYSTEM process, TCP and UDP, before lwIP is asked. */
    CHECK_EQ(net_close(t2), CMRX_OK);
    t2 = net_socket(NET_TCP);
    CHECK_EQ(net_bind(t2, NET_ANY, 7), CMRX_EPERM);
    CHECK_EQ(net_close(t2), CMRX_OK);
    int u2 = net_socket(NET_UDP);
    CHECK_EQ(net_bind(u2, NET_ANY, 7), CMRX_EPERM);
    CHECK_EQ(net_bind(u2, NET_ANY, 8), CMRX_EPERM);        /* the victim's, bound or not */
    CHECK_EQ(net_bind(u2, NET_ANY, 4000), NET_EADDRINUSE); /* u has it */
    CHECK_EQ(net_close(u2), CMRX_OK);
    CHECK_EQ(net_bind(t, NET_ANY, 4001), CMRX_OK);
    CHECK_EQ(net_listen(t, 2), CMRX_OK);
    CHECK_EQ(net_connect(t, GW, 80, 0), NET_EISCONN);
    CHECK_EQ(net_recv(t, buf, 4, 0), NET_ENOTCONN);

    /* Non-blocking calls and timeouts. */
    CHECK_EQ(net_accept(t, &peer, 0), CMRX_EAGAIN);
    msg = (struct net_msg){buf, sizeof(buf), {0, 0, 0}};
    CHECK_EQ(net_recvfrom(u, &msg, 0), CMRX_EAGAIN);
    uint32_t t0 = cmrx_time_us();
    CHECK_EQ(net_recvfrom(u, &msg, 50000u), CMRX_ETIMEDOUT);
    CHECK(cmrx_time_us() - t0 >= 50000u);
    pfd[0] = (struct net_pollfd){t, NET_POLLIN, 0};
    pfd[1] = (struct net_pollfd){u, NET_POLLIN, 0};
    pfd[2] = (struct net_pollfd){0x7FFFFF, NET_POLLIN, 0};
    CHECK_EQ(net_poll(pfd, 3, 20000u), 1); /* only the bad handle */
    CHECK_EQ(pfd[2].revents, NET_POLLNVAL);
    CHECK_EQ(pfd[0].revents | pfd[1].revents, 0);

    /* A closed handle is dead, even when its slot is used again. */
    CHECK_EQ(net_close(t), CMRX_OK);
    CHECK_EQ(net_close(t), NET_EBADF);
    CHECK_EQ(net_close(u), CMRX_OK);

    /* Fill the socket table: NET_EMFILE, and the services keep theirs. */
    int n = 0;
    for (;;) {
        CHECK(n < 64);
        int s = net_socket(NET_UDP);
        if (s == NET_EMFILE) {
            break;
        }
        CHECK(s > 0);
        table[n++] = s;
    }
    CHECK(n >= 1);
    for (int i = 0; i < n; i++) {
        CHECK_EQ(net_close(table[i]), CMRX_OK);
    }
    u = net_socket(NET_UDP);
    CHECK(u > 0);
    CHECK_EQ(net_close(u), CMRX_OK);
    CHECK_EQ(net_ifconfig(&ifc), CMRX_OK);
    cmrx_printf("ctl: bad input refused; the socket table was full after %d more sockets\n", n);
}

static int listen_ctl(void)
{
    for (;;) {
        net_wait_up(CMRX_FOREVER);
        int l = net_socket(NET_TCP);
        if (l > 0 && net_bind(l, NET_ANY, 9000) == CMRX_OK && net_listen(l, 1) == CMRX_OK) {
            cmrx_printf("ctl: listening on port 9000\n");
            return l;
        }
        if (l > 0) {
            net_close(l);
        }
        cmrx_usleep(50000);
    }
}

static void reply(int c, const char *text)
{
    unsigned n = (unsigned)strlen(text);
    memcpy(buf, text, n);
    net_send(c, buf, n, 5000000u);
}

/* Connect to the host (non-blocking, then poll) and trade a line. */
static int connect_host(unsigned port)
{
    int s = net_socket(NET_TCP);
    CHECK(s > 0);
    int rc = net_connect(s, GW, (uint16_t)port, 0);
    CHECK_EQ(rc, NET_EINPROGRESS);
    pfd[0] = (struct net_pollfd){s, NET_POLLOUT, 0};
    CHECK_EQ(net_poll(pfd, 1, 5000000u), 1);
    CHECK_EQ(pfd[0].revents & NET_POLLOUT, NET_POLLOUT);
    CHECK_EQ(net_connect(s, GW, (uint16_t)port, 0), NET_EISCONN);
    memcpy(buf, "hello host\n", 11);
    CHECK_EQ(net_send(s, buf, 11, 5000000u), 11);
    int n = net_recv(s, buf, sizeof(buf) - 1, 5000000u);
    CHECK(n > 0);
    buf[n] = '\0';
    cmrx_printf("ctl: the host said: %s", buf);
    CHECK_EQ(net_shutdown(s, NET_SHUT_WR), CMRX_OK);
    CHECK_EQ(net_send(s, buf, 1, 0), NET_ESHUTDOWN);
    CHECK_EQ(net_recv(s, buf, sizeof(buf), 5000000u), 0); /* the host closes too */
    CHECK_EQ(net_shutdown(s, NET_SHUT_RDWR), CMRX_OK);    /* the rest: over */
    CHECK_EQ(net_recv(s, buf, sizeof(buf), 0), NET_ENOTCONN);
    CHECK_EQ(net_send(s, buf, 1, 0), NET_ENOTCONN);
    CHECK_EQ(net_close(s), CMRX_OK);
    return 0;
}

static int ctl_main(void *arg)
{
    (void)arg;
    bad_calls();
    int l = listen_ctl();
    for (;;) {
        int c = net_accept(l, &peer, CMRX_FOREVER);
        if (net_stack_restarted(c)) {
            cmrx_printf("ctl: the network stack restarted (%d)\n", c);
            l = listen_ctl();
            continue;
        }
        CHECK(c > 0);
        int n = net_recv(c, buf, sizeof(buf) - 1, 10000000u);
        if (n <= 0) {
            net_close(c);
            continue;
        }
        buf[n] = '\0';
        unsigned port = 0;
        for (const char *p = strchr(buf, ' '); p != NULL && *++p >= '0' && *p <= '9';) {
            port = port * 10u + (unsigned)(*p - '0');
        }
        if (strncmp(buf, "connect ", 8) == 0) {
            connect_host(port);
            reply(c, "ok\n");
        } else if (strncmp(buf, "refused ", 8) == 0) {
            int s = net_socket(NET_TCP);
            int rc = net_connect(s, GW, (uint16_t)port, 5000000u);
            cmrx_printf("ctl: connect to a closed port: %d\n", rc);
            CHECK_EQ(rc, NET_ECONNREFUSED);
            CHECK_EQ(net_send(s, buf, 1, 0), NET_ECONNREFUSED);
            net_close(s);
            reply(c, "ok\n");
        } else if (strncmp(buf, "fault-driver", 12) == 0) {
            int rc = cmrx_rpc_call(&lan9118_fault, fault);
            cmrx_printf("ctl: the driver faulted under our call: %d\n", rc);
            CHECK_EQ(rc, CMRX_ERPC_FAULT);
            reply(c, "ok\n");
        } else if (strncmp(buf, "fault-stack", 11) == 0) {
            int rc = cmrx_rpc_call(&netstack_fault, fault);
            cmrx_printf("ctl: the stack faulted under our call: %d\n", rc);
            CHECK_EQ(rc, CMRX_ERPC_FAULT);
            rc = net_close(c); /* a socket of the stack's previous life */
            cmrx_printf("ctl: our old socket now says %d\n", rc);
            CHECK(rc == NET_ESTALE || rc == CMRX_ERPC_DEAD);
            l = listen_ctl();
            continue;
        } else if (strncmp(buf, "done", 4) == 0) {
            reply(c, "ok\n");
            net_close(c);
            cmrx_usleep(100000);
            PASS();
        } else {
            reply(c, "unknown command\n");
        }
        net_close(c);
    }
}

CMRX_THREAD(ctl_main, NULL);
