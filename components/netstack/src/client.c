/* The netsock client library: each call is one RPC into the netstack
 * process (netsock.h). Compiled into every process that uses sockets. */
#include "netstack_rpc.h"

int net_socket(int kind)
{
    return NETSTACK_CALL(socket, kind);
}

int net_bind(int sock, uint32_t ip, uint16_t port)
{
    return NETSTACK_CALL(bind, sock, ip, (uint32_t)port);
}

int net_listen(int sock, int backlog)
{
    return NETSTACK_CALL(listen, sock, backlog);
}

int net_accept(int sock, struct net_addr *peer, uint32_t timeout_us)
{
    return NETSTACK_CALL(accept, sock, peer, timeout_us);
}

int net_connect(int sock, uint32_t ip, uint16_t port, uint32_t timeout_us)
{
    return NETSTACK_CALL(connect, sock, ip, (uint32_t)port, timeout_us);
}

int net_send(int sock, const void *buf, uint32_t len, uint32_t timeout_us)
{
    return NETSTACK_CALL(send, sock, buf, len, timeout_us);
}

int net_recv(int sock, void *buf, uint32_t len, uint32_t timeout_us)
{
    return NETSTACK_CALL(recv, sock, buf, len, timeout_us);
}

int net_sendto(int sock, const struct net_msg *msg)
{
    return NETSTACK_CALL(sendto, sock, msg);
}

int net_recvfrom(int sock, struct net_msg *msg, uint32_t timeout_us)
{
    return NETSTACK_CALL(recvfrom, sock, msg, timeout_us);
}

int net_shutdown(int sock, int how)
{
    return NETSTACK_CALL(shutdown, sock, how);
}

int net_close(int sock)
{
    return NETSTACK_CALL(close, sock);
}

int net_poll(struct net_pollfd *fds, unsigned n, uint32_t timeout_us)
{
    return NETSTACK_CALL(poll, fds, (uint32_t)n, timeout_us);
}

int net_ifconfig(struct net_ifinfo *out)
{
    return NETSTACK_CALL(ifconfig, out);
}

int net_wait_up(uint32_t timeout_us)
{
    return NETSTACK_CALL(wait_up, timeout_us);
}

int net_stats(struct net_stats *out)
{
    return NETSTACK_CALL(stats, out);
}
