/* netstack lock test, the attacker (priority 12, unprivileged): its thread
 * (priority 14) sends datagram after datagram, so that it is inside the
 * stack holding the core lock (or inside the driver under it) most of the
 * time; the judge kills it there while busier threads keep it from
 * returning. */
#include "check.h"
#include "netsock.h"

static CMRX_SHARED uint8_t data[NET_UDP_MAX];
static CMRX_SHARED struct net_msg msg;

static int sender(void *arg)
{
    (void)arg;
    while (net_wait_up(CMRX_FOREVER) != CMRX_OK) {
        cmrx_usleep(10000); /* the stack is restarting */
    }
    int s = net_socket(NET_UDP);
    CHECK(s > 0);
    msg.buf = data;
    msg.len = sizeof(data);
    msg.addr.ip = NET_IP4(10, 0, 2, 2);
    msg.addr.port = 9; /* discard, on the host's 127.0.0.1 */
    for (;;) {
        net_sendto(s, &msg);
    }
    return 0;
}

static int main_thread(void *arg)
{
    (void)arg;
    CHECK(cmrx_thread_create(sender, NULL, 14) >= 0);
    return 0;
}

CMRX_THREAD(main_thread, NULL);
