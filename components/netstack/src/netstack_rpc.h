/* The netstack's RPC interface, shared by the client library (client.c)
 * and the stack (sockets.c). Applications use netsock.h instead. */
#ifndef NETSTACK_RPC_H
#define NETSTACK_RPC_H

#include "netsock.h"

struct netstack;

struct netstack_vtable {
    int (*socket)(struct netstack *self, int kind);
    int (*bind)(struct netstack *self, int sock, uint32_t ip, uint32_t port);
    int (*listen)(struct netstack *self, int sock, int backlog);
    int (*accept)(struct netstack *self, int sock, struct net_addr *peer, uint32_t timeout_us);
    int (*connect)(struct netstack *self, int sock, uint32_t ip, uint32_t port,
                   uint32_t timeout_us);
    int (*send)(struct netstack *self, int sock, const void *buf, uint32_t len,
                uint32_t timeout_us);
    int (*recv)(struct netstack *self, int sock, void *buf, uint32_t len, uint32_t timeout_us);
    int (*sendto)(struct netstack *self, int sock, const struct net_msg *msg);
    int (*recvfrom)(struct netstack *self, int sock, struct net_msg *msg, uint32_t timeout_us);
    int (*shutdown)(struct netstack *self, int sock, int how);
    int (*close)(struct netstack *self, int sock);
    int (*poll)(struct netstack *self, struct net_pollfd *fds, uint32_t n, uint32_t timeout_us);
    int (*ifconfig)(struct netstack *self, struct net_ifinfo *out);
    int (*wait_up)(struct netstack *self, uint32_t timeout_us);
    int (*stats)(struct netstack *self, struct net_stats *out);
};

struct netstack {
    const struct netstack_vtable *vtable;
};

/** The service object, in the netstack process. */
extern struct netstack netstack_service;

/* Over RPC normally; NETSTACK_DIRECT links the stack into its client's own
 * process (the benchmark's single-process build) and calls it directly. */
#ifdef NETSTACK_DIRECT
#define NETSTACK_CALL(method, ...)                                                                 \
    (netstack_service.vtable->method(&netstack_service, ##__VA_ARGS__))
#define netstack_buffer(buf, len) ((void)(buf), (void)(len), CMRX_OK)
#else
#define NETSTACK_CALL(method, ...) cmrx_rpc_call(&netstack_service, method, ##__VA_ARGS__)
#define netstack_buffer(buf, len)  cmrx_rpc_buffer((buf), (len))
#endif

#endif
