/* ${name}: the echo service, TCP and UDP on port 7, in a process of its own.
 *
 * One thread serves every connection with net_poll(): new connections,
 * data to echo, datagrams, closed peers. If the network stack restarts, its
 * sockets are gone: the service opens new ones and carries on. */
#include <cmrx/cmrx.h>
#include <netsock.h>

#define PORT      7
#define MAX_SOCKS NET_POLL_MAX /* the listener, the UDP socket and connections */

/* Everything the stack reads or writes for us lies in shared memory. The
 * buffer holds more than the stack's receive window (4 segments by
 * default): one poll, recv and send serve all that has arrived, since each
 * call is a crossing into the stack's process. */
static CMRX_SHARED struct net_pollfd fds[MAX_SOCKS];
static CMRX_SHARED uint8_t buf[8192];
static CMRX_SHARED struct net_msg msg;

static int open_sockets(void)
{
    int l = net_socket(NET_TCP);
    int rc = l < 0 ? l : net_bind(l, NET_ANY, PORT);
    rc = rc < 0 ? rc : net_listen(l, 8);
    int u = rc < 0 ? rc : net_socket(NET_UDP);
    rc = u < 0 ? u : net_bind(u, NET_ANY, PORT);
    if (rc < 0) {
        return rc;
    }
    fds[0] = (struct net_pollfd){l, NET_POLLIN, 0};
    fds[1] = (struct net_pollfd){u, NET_POLLIN, 0};
    return 2;
}

/* Send the @p len bytes in buf back on @p s: all of them, or an error. A
 * peer whose data is not taken for a minute (its window closed, or lost
 * segments waiting on the stack's retransmission backoff) is given up.
 * @return len, or the error. */
static int send_all(int s, uint32_t len)
{
    uint32_t done = 0;
    unsigned idle = 0;
    while (done < len) {
        int rc = net_send(s, buf + done, len - done, 10000000u);
        if (rc > 0) {
            done += (uint32_t)rc;
            idle = 0;
        } else if (rc != CMRX_ETIMEDOUT || ++idle == 6) {
            return rc == 0 ? CMRX_ETIMEDOUT : rc;
        }
    }
    return (int)len;
}

/* Serve until the stack restarts. @return the error that said so. */
static int serve(unsigned n)
{
    for (;;) {
        int rc = net_poll(fds, n, CMRX_FOREVER);
        if (rc < 0) {
            return rc;
        }
        for (unsigned i = 0; i < n; i++) {
            int s = fds[i].sock;
            if (fds[i].revents == 0) {
                continue;
            }
            if (i == 0) { /* a new connection */
                int c = net_accept(s, NULL, 0);
                if (c >= 0 && n < MAX_SOCKS) {
                    fds[n++] = (struct net_pollfd){c, NET_POLLIN, 0};
                } else if (c >= 0) {
                    net_close(c); /* no room to watch it */
                } else if (net_stack_restarted(c)) {
                    return c;
                }
            } else if (i == 1) { /* a datagram: back to where it came from */
                msg.buf = buf;
                msg.len = NET_UDP_MAX;
                int got = net_recvfrom(s, &msg, 0);
                if (got > 0) {
                    msg.len = (uint32_t)got;
                    rc = net_sendto(s, &msg);
                }
                if (net_stack_restarted(got) || net_stack_restarted(rc)) {
                    return got < 0 ? got : rc;
                }
            } else { /* data on a connection, or its end */
                int got = net_recv(s, buf, sizeof(buf), 0);
                if (got > 0) {
                    rc = send_all(s, (uint32_t)got);
                }
                if (net_stack_restarted(got) || net_stack_restarted(rc)) {
                    return got < 0 ? got : rc;
                }
                if (got == 0 || (got < 0 && got != CMRX_EAGAIN) || rc < 0) {
                    net_close(s);
                    fds[i--] = fds[--n];
                }
            }
        }
    }
}

static int echo_main(void *arg)
{
    (void)arg;
    for (;;) {
        net_wait_up(CMRX_FOREVER);
        int n = open_sockets();
        if (n < 0) {
            cmrx_printf("echo: cannot listen on port %d (%d), trying again\n", PORT, n);
            cmrx_usleep(500000);
            continue;
        }
        cmrx_printf("echo: listening on port %d (TCP and UDP)\n", PORT);
        int why = serve((unsigned)n);
        cmrx_printf("echo: the network stack restarted (%d): listening again\n", why);
    }
    return 0; /* not reached */
}

CMRX_THREAD(echo_main, NULL);
