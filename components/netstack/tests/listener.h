/* netstack tests: what the attacking clients share. */
#ifndef NETSTACK_TEST_LISTENER_H
#define NETSTACK_TEST_LISTENER_H

#include "check.h"
#include "netsock.h"

/* Once the stack is up, listen on TCP @p port with @p backlog and say so
 * ("NAME: listening on port N", which the host waits for). @return the socket. */
static inline int test_listen(const char *name, uint16_t port, int backlog)
{
    CHECK_EQ(net_wait_up(CMRX_FOREVER), CMRX_OK);
    int l = net_socket(NET_TCP);
    CHECK(l > 0);
    CHECK_EQ(net_bind(l, NET_ANY, port), CMRX_OK);
    CHECK_EQ(net_listen(l, backlog), CMRX_OK);
    cmrx_printf("%s: listening on port %u\n", name, (unsigned)port);
    return l;
}

#endif
