/* netstack test: a client that reaches another process's connection
 * through its own listener's queue (unprivileged). It listens on port 12;
 * the host connects and sends a byte. The connection waits in the
 * listener's queue, not yet accepted, but its handle is only a slot, a
 * generation and the stack's epoch: the client names it anyway and closes
 * it. If the stack let it, the slot is free while the queue still names
 * it: the next socket in that slot (the echo service's connection) sits in
 * the client's queue, and closing the listener aborts what it queues. */
#include "listener.h"

#define SLOTS 16 /* the firmware's socket table (NETSTACK_SOCKETS) */

static CMRX_SHARED struct net_pollfd fds[1];
static CMRX_SHARED uint8_t byte[1];
static CMRX_SHARED struct net_addr peer;

static int handle(unsigned epoch, unsigned gen, unsigned slot)
{
    return (int)((epoch << 16) | ((gen & 0xFFu) << 8) | (slot + 1u));
}

static int snatcher(void *arg)
{
    (void)arg;
    int l = test_listen("snatch", 12, 4);
    fds[0] = (struct net_pollfd){l, NET_POLLIN, 0};
    CHECK_EQ(net_poll(fds, 1, CMRX_FOREVER), 1);
    cmrx_usleep(500000); /* its byte arrives: unread, a close resets it at once */

    /* Every handle the stack could give out, but the listener's. */
    unsigned epoch = (unsigned)l >> 16, slot = SLOTS, gen = 0;
    for (unsigned s = 0; s < SLOTS && slot == SLOTS; s++) {
        for (unsigned g = 0; g < 256u && slot == SLOTS; g++) {
            int h = handle(epoch, g, s);
            if (h != l && net_close(h) == CMRX_OK) {
                slot = s;
                gen = g + 1u; /* a close moves the slot's generation on */
            }
        }
    }
    if (slot == SLOTS) {
        cmrx_printf("snatch: the queued connection has no handle before accept\n");
        int c = net_accept(l, &peer, 1000000);
        CHECK(c > 0);
        CHECK_EQ(net_recv(c, byte, 1, 1000000), 1);
        CHECK_EQ(net_close(c), CMRX_OK);
        CHECK_EQ(net_close(l), CMRX_OK);
        cmrx_printf("snatch: accepted it, read its byte, closed it and the listener\n");
        for (;;) {
            cmrx_usleep(1000000);
        }
    }
    cmrx_printf("snatch: closed a queued connection by its handle (slot %u)\n", slot);
    /* The slot's next socket: another process's once its handle is refused
     * as not ours (CMRX_EPERM), not as free (NET_EBADF). */
    uint32_t since = cmrx_time_us();
    int rc = NET_EBADF;
    while (rc != CMRX_EPERM && cmrx_time_us() - since < 60000000u) {
        rc = net_recv(handle(epoch, gen, slot), byte, 1, 0);
        cmrx_usleep(10000);
    }
    CHECK_EQ(rc, CMRX_EPERM);
    cmrx_printf("snatch: another process's socket is in slot %u, still in our queue\n", slot);
    CHECK_EQ(net_close(l), CMRX_OK); /* closes what its queue names */
    cmrx_printf("snatch: closed the listener\n");
    for (;;) {
        cmrx_usleep(1000000);
    }
    return 0;
}

CMRX_THREAD(snatcher, NULL);
