/* lwIP's options for the netstack process (see README.md, Sizing).
 *
 * lwIP runs without an operating-system layer (NO_SYS): its core is one
 * lock (the netstack's own mutex), taken by the stack's thread for frames
 * and timers and by each client thread that calls into the stack. The
 * socket layer is the netstack's own (sockets.c) over lwIP's raw API;
 * lwIP's netconn and socket APIs are not built. The limits come from the
 * component's settings (component.cmake: NETSTACK_*). */
#ifndef LWIPOPTS_H
#define LWIPOPTS_H

#include <stdint.h>

#define NO_SYS               1
#define SYS_LIGHTWEIGHT_PROT 0 /* every lwIP call holds the core lock */
#define LWIP_NETCONN         0
#define LWIP_SOCKET          0
#define LWIP_TIMERS          1

#define LWIP_IPV4       1
#define LWIP_IPV6       0
#define LWIP_ARP        1
#define LWIP_ICMP       1
#define LWIP_RAW        0
#define LWIP_UDP        1
#define LWIP_TCP        1
#define LWIP_DHCP       1
#define LWIP_AUTOIP     0
#define LWIP_IGMP       0
#define LWIP_DNS        0
#define IP_FORWARD      0
#define IP_REASSEMBLY   0 /* datagrams are at most NET_UDP_MAX: no fragments */
#define IP_FRAG         0
#define LWIP_SINGLE_NETIF 1
#define LWIP_NETIF_STATUS_CALLBACK 1
#define LWIP_NETIF_LINK_CALLBACK   0
/* DHCP offers are taken without probing the address first (lwIP 2.1:
 * ARP check; 2.2: address conflict detection): a lease in milliseconds. */
#define DHCP_DOES_ARP_CHECK        0
#define LWIP_DHCP_DOES_ACD_CHECK   0

/* Memory: the heap for outgoing segments, the pool for received frames. */
#define MEM_ALIGNMENT     4
#define MEM_SIZE          NETSTACK_MEM_SIZE
#define PBUF_POOL_SIZE    NETSTACK_PBUF_POOL
#define MEMP_NUM_PBUF     16
#define MEMP_NUM_TCP_PCB        NETSTACK_SOCKETS
#define MEMP_NUM_TCP_PCB_LISTEN NETSTACK_SOCKETS
#define MEMP_NUM_UDP_PCB        (NETSTACK_SOCKETS + 1) /* + DHCP's */
#define MEMP_NUM_TCP_SEG        (4 * TCP_SND_QUEUELEN)
#define MEMP_NUM_SYS_TIMEOUT    (LWIP_NUM_SYS_TIMEOUT_INTERNAL + 2)
#define ETH_PAD_SIZE      2 /* the IP header of a received frame lands word-aligned */

/* TCP: the window fits the NIC's receive FIFO (about 10 KiB on a LAN9118). */
#define TCP_MSS           1460
#define TCP_WND           (NETSTACK_TCP_WND_MSS * TCP_MSS)
#define TCP_SND_BUF       (NETSTACK_TCP_SND_MSS * TCP_MSS)
#define TCP_SND_QUEUELEN  (4 * TCP_SND_BUF / TCP_MSS)
#define TCP_LISTEN_BACKLOG 1
#define LWIP_TCP_KEEPALIVE 0
#define TCP_QUEUE_OOSEQ   1
#define SO_REUSE          1 /* a restarted server binds its port past TIME_WAIT */

#define LWIP_CHKSUM_ALGORITHM 3
#define LWIP_STATS        0
#define LWIP_NETIF_LOOPBACK 0

uint32_t netstack_rand(void);
#define LWIP_RAND() netstack_rand()

#endif
