/* netsock: sockets of the netstack process (lwIP in a process of its own).
 *
 * A process opens sockets with these calls; each is an RPC into the
 * netstack, which runs it on the caller's thread. The data a call sends or
 * receives must lie in the caller's CMRX_SHARED memory (the only memory of
 * the caller the stack may touch, and only during the call): the stack
 * copies it straight from or into that buffer. A socket belongs to the
 * process that opened it: no other process can use or close it, and the
 * stack closes it when that process dies or restarts.
 *
 * Blocking calls take a timeout in microseconds: CMRX_FOREVER, or 0 for a
 * non-blocking call (CMRX_EAGAIN if it would have to wait).
 *
 *   static CMRX_SHARED char buf[1024];
 *   int s = net_socket(NET_TCP);
 *   net_bind(s, NET_ANY, 7);
 *   net_listen(s, 4);
 *   int c = net_accept(s, NULL, CMRX_FOREVER);
 *   int n = net_recv(c, buf, sizeof(buf), CMRX_FOREVER);
 *   net_send(c, buf, (uint32_t)n, CMRX_FOREVER);
 *   net_close(c);
 *
 * Errors: every call returns a negative code on failure, below. Besides
 * those: CMRX_EFAULT (a buffer or structure outside the caller's shared
 * memory), CMRX_EPERM (a socket of another process), CMRX_EINVAL (an
 * argument out of range, e.g. a zero-length buffer), CMRX_ETIMEDOUT,
 * CMRX_EAGAIN (timeout 0 and nothing ready), CMRX_EINTR, and while the
 * stack restarts CMRX_ERPC_DEAD or CMRX_ERPC_FAULT.
 */
#ifndef NETSOCK_H
#define NETSOCK_H

#include <stdint.h>

#include <cmrx/cmrx.h>

/* Error codes of the netstack (the kernel's are -1..-199). */
#define NET_EBADF        (-200) /**< not an open socket (never was, or closed) */
#define NET_ESTALE       (-201) /**< a socket from before the stack restarted: open a new one */
#define NET_EMFILE       (-202) /**< the socket table is full (settings: sockets) */
#define NET_ENOBUFS      (-203) /**< the stack is out of buffers; try again later */
#define NET_EADDRINUSE   (-204) /**< the port is bound already */
#define NET_ECONNREFUSED (-205) /**< the peer refused the connection */
#define NET_ECONNRESET   (-206) /**< the connection was reset (by the peer, or aborted) */
#define NET_ENOTCONN     (-207) /**< the socket is not connected (or is listening) */
#define NET_EISCONN      (-208) /**< the socket is connected or listening already */
#define NET_EMSGSIZE     (-209) /**< more bytes than one call or one datagram carries */
#define NET_ENETDOWN     (-210) /**< the interface has no address (yet), or its driver is down */
#define NET_EOPNOTSUPP   (-211) /**< not for this kind of socket (listen on UDP, sendto on TCP) */
#define NET_EINPROGRESS  (-212) /**< a non-blocking connect started: poll for NET_POLLOUT */
#define NET_ESHUTDOWN    (-213) /**< sending after shutdown(NET_SHUT_WR) */
#define NET_EHOSTUNREACH (-214) /**< no route or no answer to ARP */

/** Socket kinds. */
#define NET_TCP 1
#define NET_UDP 2

#define NET_IO_MAX   65536u /**< bytes one send or recv call carries at most */
#define NET_UDP_MAX  1472u  /**< payload of one datagram (no IP fragments) */
#define NET_POLL_MAX 16u    /**< sockets one poll() watches */
#define NET_ANY      0u     /**< any local address */

/** An IPv4 address in network order, as from NET_IP4(10, 0, 2, 2). */
#define NET_IP4(a, b, c, d)                                                                        \
    ((uint32_t)(a) | (uint32_t)(b) << 8 | (uint32_t)(c) << 16 | (uint32_t)(d) << 24)

/** An address and port, as accept() and recvfrom() report them. */
struct net_addr {
    uint32_t ip; /**< network order */
    uint16_t port;
    uint16_t reserved;
};

/** One datagram for sendto() / recvfrom(). */
struct net_msg {
    void *buf;    /**< in the caller's shared memory */
    uint32_t len; /**< sendto: bytes to send; recvfrom: room in buf, then the datagram's size */
    struct net_addr addr; /**< sendto: destination; recvfrom: source */
};

/** poll() entries and events. */
struct net_pollfd {
    int32_t sock;
    uint16_t events;  /**< what to wait for: NET_POLLIN, NET_POLLOUT */
    uint16_t revents; /**< what is ready (and NET_POLLERR, _HUP, _NVAL) */
};
#define NET_POLLIN   0x01u /**< data, a connection to accept, or the end of the stream */
#define NET_POLLOUT  0x04u /**< room to send (a non-blocking connect finished) */
#define NET_POLLERR  0x08u /**< an error is pending (the next call returns it) */
#define NET_POLLHUP  0x10u /**< the peer closed or reset the connection */
#define NET_POLLNVAL 0x20u /**< not an open socket of the caller */

/** shutdown() directions. */
#define NET_SHUT_RD   1
#define NET_SHUT_WR   2
#define NET_SHUT_RDWR 3

/** The interface, as ifconfig() tells it. */
struct net_ifinfo {
    uint32_t ip, netmask, gateway; /**< network order; 0 until configured */
    uint8_t mac[6];
    uint8_t up;       /**< 1 once it has an address */
    uint8_t dhcp;     /**< 1 if the address came from DHCP */
    uint32_t lease_s; /**< DHCP lease time in seconds (0 for static) */
};

/** Counters of the stack since it started. */
struct net_stats {
    uint32_t rx_frames, tx_frames;
    uint32_t rx_dropped; /**< frames the stack had no buffer for */
    uint32_t sockets_open, sockets_max;
    uint32_t tcp_accepted, tcp_refused; /**< connections taken; refused for lack of sockets */
    uint32_t udp_dropped;               /**< datagrams a full receive queue could not keep */
    uint32_t reaped;                    /**< sockets closed because their owner died */
    uint32_t driver_restarts;           /**< times the NIC driver came back */
    uint32_t epoch;                     /**< the stack's restart count */
    uint32_t rx_control; /**< small frames (ACKs, ARP) taken from the heap while the pool was full */
    uint32_t tx_buffers; /**< send buffers queued now (unsent or unacknowledged), everyone's */
    uint32_t tx_buffers_max; /**< the buffers the heap holds (`heap_kib`), shared out when short */
};

/** Open a socket (NET_TCP or NET_UDP). @return its handle (> 0), NET_EMFILE, CMRX_EINVAL. */
int net_socket(int kind);

/**
 * Bind to a local address (NET_ANY) and port (0: any). @return CMRX_OK,
 * NET_EADDRINUSE, CMRX_EPERM (the port is kept for another process: the
 * netstack's setting `ports`), ...
 */
int net_bind(int sock, uint32_t ip, uint16_t port);

/** Listen for connections (TCP), keeping up to @p backlog (1..8) not yet accepted. */
int net_listen(int sock, int backlog);

/**
 * Take a connection from a listening socket; its peer goes to @p peer (in
 * shared memory, or NULL). @return the new socket's handle.
 */
int net_accept(int sock, struct net_addr *peer, uint32_t timeout_us);

/**
 * Connect to @p ip:@p port (TCP). With timeout 0 it returns NET_EINPROGRESS
 * and NET_POLLOUT tells when it is done. @return CMRX_OK, NET_ECONNREFUSED,
 * NET_EHOSTUNREACH, CMRX_ETIMEDOUT, ...
 */
int net_connect(int sock, uint32_t ip, uint16_t port, uint32_t timeout_us);

/**
 * Send @p len (1..NET_IO_MAX) bytes. Blocks until all are queued or the
 * time is up. @return the bytes queued (fewer only on a timeout after
 * progress, or with timeout 0), CMRX_EAGAIN, NET_ECONNRESET, ...
 */
int net_send(int sock, const void *buf, uint32_t len, uint32_t timeout_us);

/**
 * Receive up to @p len (1..NET_IO_MAX) bytes. @return the bytes received
 * (> 0), 0 at the end of the stream (the peer closed), CMRX_EAGAIN,
 * CMRX_ETIMEDOUT, NET_ECONNRESET, ...
 */
int net_recv(int sock, void *buf, uint32_t len, uint32_t timeout_us);

/** Send one datagram (UDP) of up to NET_UDP_MAX bytes: @p msg (in shared memory). */
int net_sendto(int sock, const struct net_msg *msg);

/**
 * Receive one datagram into @p msg->buf; msg->len becomes its size and
 * msg->addr its source. @return the bytes copied (a longer datagram is cut
 * to msg->len as given).
 */
int net_recvfrom(int sock, struct net_msg *msg, uint32_t timeout_us);

/**
 * Shut down reading, writing or both (NET_SHUT_*). Both ends the connection
 * as close() would (gracefully); the handle stays, answering NET_ENOTCONN,
 * until close(). @return CMRX_OK; NET_ENOTCONN, CMRX_EINVAL (@p how), ...
 */
int net_shutdown(int sock, int how);

/** Close the socket (a TCP connection ends gracefully). @return CMRX_OK, NET_EBADF, ... */
int net_close(int sock);

/**
 * Wait until one of @p n (1..NET_POLL_MAX) sockets is ready; @p fds lies in
 * shared memory. @return how many have revents set, 0 on timeout.
 */
int net_poll(struct net_pollfd *fds, unsigned n, uint32_t timeout_us);

/** Fill @p out (in shared memory) with the interface's settings. */
int net_ifconfig(struct net_ifinfo *out);

/**
 * Wait until the interface has an address; through a restart of the
 * stack too (until then its calls answer CMRX_ERPC_DEAD).
 * @return CMRX_OK, CMRX_ETIMEDOUT.
 */
int net_wait_up(uint32_t timeout_us);

/** Fill @p out (in shared memory) with the stack's counters. */
int net_stats(struct net_stats *out);

/** @return whether @p rc says the stack restarted or is restarting: open new sockets. */
static inline int net_stack_restarted(int rc)
{
    return rc == NET_ESTALE || rc == CMRX_ERPC_DEAD || rc == CMRX_ERPC_FAULT;
}

#endif
