/* The netstack's sockets: the RPC service (netstack_rpc.h) over lwIP's raw
 * API.
 *
 * Every method runs on the caller's thread with the core lock held, and
 * copies data straight between the caller's buffer (checked to lie in its
 * shared memory) and lwIP's buffers. lwIP's callbacks (data, connections,
 * errors; on whichever thread runs lwIP) queue what arrives on the socket
 * and bump core_events; a blocked call sleeps on that word and looks again.
 *
 * A socket belongs to the process that opened it. Its handle holds the
 * table index, a generation (so a closed socket's handle does not name the
 * next one) and the stack's restart count (so a handle from before a
 * restart is told apart: NET_ESTALE). The stack's thread reaps the sockets
 * of processes that died or restarted.
 */
#include <string.h>

#include "core.h"
#include "lwip/dhcp.h"
#include "lwip/etharp.h"        /* ARP_TABLE_SIZE: datagrams lwIP keeps while it resolves */
#include "lwip/priv/tcp_priv.h" /* tcp_active_pcbs: is a closed connection still there? */
#include "lwip/tcp.h"
#include "lwip/udp.h"
#include "netstack_rpc.h"

#define UDP_QUEUE   4u /* datagrams a UDP socket keeps until they are read */
#define BACKLOG_MAX 8u
/* Receive buffers (PBUF_POOL_SIZE) are everyone's. When RX_RESERVE or
 * fewer are left, a process holding its share unread (what is not
 * reserved, divided by the processes holding any) or as many as are left
 * has its connections' windows closed (new ones too) and its datagrams
 * dropped until it reads: processes that do not read, one or several,
 * leave the others buffers to receive into. Until then any process may
 * use them all (throughput). */
#define RX_RESERVE (PBUF_POOL_SIZE / 4u)
/* Send memory (lwIP's heap) is everyone's too, shared out the same way, in
 * the buffers queued on connections (tcp_sndqueuelen: unsent and unacked,
 * a closed connection's included). A buffer holds at most one segment: its
 * data and headers, the pbuf and the heap's own header fit in TX_UNIT. A
 * write adds at most one buffer more than its segments. */
#define TX_UNIT      (PBUF_POOL_BUFSIZE + 32u)
#define TX_POOL_HEAP (MEM_SIZE / TX_UNIT)
#define TX_POOL      (TX_POOL_HEAP < MEMP_NUM_TCP_SEG ? TX_POOL_HEAP : MEMP_NUM_TCP_SEG)
#define TX_RESERVE   (TX_POOL / 4u > 1u ? TX_POOL / 4u : 1u)
#define TX_WRITE_MAX (TCP_SND_BUF / TCP_MSS + 2u) /* buffers one write of the send buffer adds */
_Static_assert(TX_POOL >= 2, "netstack: heap_kib too small for two segments");

_Static_assert(NETSTACK_SOCKETS >= 1 && NETSTACK_SOCKETS <= 64, "sockets: 1..64");

enum { S_FREE, S_TCP, S_UDP };
/* T_CLOSING: closed by its owner while lwIP still has the connection (data
 * or a FIN to deliver, the peer's FIN to wait for): its handle names
 * nothing, but the slot stays its owner's, and what it queued counts as the
 * owner's, until lwIP is done with it (closing_sweep()). */
enum { T_NEW, T_CONNECTING, T_CONNECTED, T_LISTENING, T_FAILED, T_CLOSING };

struct dgram {
    struct pbuf *p;
    ip_addr_t addr;
    u16_t port;
};

struct sock {
    uint8_t kind, state, gen;
    int8_t owner;
    int32_t owner_restarts;
    int err;  /* pending NET_* error of a connection (the pcb is gone) */
    bool eof; /* the peer closed its side */
    bool shut_rd, shut_wr;
    bool closed; /* TCP: closed by us (close, shutdown both ways); lwIP may free
                  * pcb at any time without a word: tcp_of() gives it */
    bool queued; /* TCP: in its listener's queue, not accepted: no handle names it
                  * (the queue holds its index until accept() or the listener's end) */
    union {
        struct tcp_pcb *tcp;
        struct udp_pcb *udp;
    } pcb;
    struct pbuf *rx;   /* TCP: received, not yet read */
    uint16_t held;     /* pbufs of rx or the datagram queue */
    uint16_t withheld; /* TCP: window bytes held back while the owner is past its share */
    uint8_t backlog, nq;
    int8_t queue[BACKLOG_MAX]; /* listener: accepted connections, oldest first */
    uint8_t uhead, ucount;
    struct dgram dq[UDP_QUEUE]; /* UDP: received datagrams */
};

static struct sock socks[NETSTACK_SOCKETS];

/* ---- handles and ownership ----------------------------------------------------- */

static int handle_of(const struct sock *s)
{
    return (int)(((netstack_epoch & 0x7Fu) << 16) | ((uint32_t)s->gen << 8) |
                 (uint32_t)(s - socks + 1));
}

/* The socket @p h names, if it is an open socket of the caller. */
static int lookup(int h, struct sock **out)
{
    if (h <= 0 || h >= (1 << 23)) {
        return NET_EBADF;
    }
    uint32_t u = (uint32_t)h;
    if ((u >> 16) != (netstack_epoch & 0x7Fu)) {
        return NET_ESTALE;
    }
    uint32_t idx = (u & 0xFFu) - 1u;
    if (idx >= NETSTACK_SOCKETS) {
        return NET_EBADF;
    }
    struct sock *s = &socks[idx];
    /* A queued connection is not handed out yet: closed by its handle, its
     * slot would be freed while the queue still names it, and the next
     * socket there (another process's) would be accepted or aborted with
     * the listener. */
    if (s->kind == S_FREE || s->queued || s->gen != (uint8_t)(u >> 8)) {
        return NET_EBADF;
    }
    int run = core_caller_run();
    if (s->owner != (int)CMRX_RUN_PID(run)) {
        return CMRX_EPERM;
    }
    /* The owner's pid, but a restarted incarnation: the handle is not its own. */
    if (CMRX_RUN_RESTARTS(run) != s->owner_restarts) {
        return NET_EBADF;
    }
    *out = s;
    return CMRX_OK;
}

static bool owner_gone(const struct sock *s)
{
    return cmrx_process_control((unsigned)s->owner, CMRX_PROC_STATE) != CMRX_PROC_ALIVE ||
           cmrx_process_restarts((unsigned)s->owner) != s->owner_restarts;
}

static bool same_owner(const struct sock *a, const struct sock *b)
{
    return a->kind != S_FREE && a->owner == b->owner && a->owner_restarts == b->owner_restarts;
}

/* Is @p pcb on lwIP's list of live connections? (A pcb in TIME_WAIT is on
 * another, with nothing queued.) */
static bool pcb_listed(const struct tcp_pcb *pcb)
{
    for (const struct tcp_pcb *p = tcp_active_pcbs; p != NULL; p = p->next) {
        if (p == pcb) {
            return true;
        }
    }
    return false;
}

/* Has lwIP freed @p s's connection without a word? It does once our FIN
 * went out (shutdown for writing, or closed) and it is done: a closed
 * pcb's callbacks are gone; one shut for reading whose FIN is acknowledged
 * in LAST_ACK calls none; TIME_WAIT ends (or is taken for a new pcb)
 * without one. So after our FIN the pcb is @p s's only while it is on
 * lwIP's list of live connections with @p s as its argument (a new pcb at
 * the same address has another socket's, or none). */
static bool tcp_gone(const struct sock *s)
{
    const struct tcp_pcb *pcb = s->pcb.tcp;
    return pcb != NULL && (s->closed || s->shut_wr) && !(pcb_listed(pcb) && pcb->callback_arg == s);
}

/* Send buffers freed with closed connections since the last reap: the
 * reap wakes those waiting for buffers then, not each finding (a wake-up
 * per connection would cost every waiting thread a round). */
static bool closing_freed;

/* lwIP is done with @p s's closed connection: a T_CLOSING slot goes back. */
static void closing_gone(struct sock *s)
{
    s->pcb.tcp = NULL;
    if (s->state == T_CLOSING) {
        s->kind = S_FREE;
        s->gen++;
        netstack_counters.sockets_open--;
    }
    closing_freed = true;
}

/* @p s's TCP connection, or NULL: every use of a connection's pcb goes
 * through here (a pointer lwIP freed may name another socket's pcb by now,
 * another process's); a pcb lwIP is done with is forgotten. (An unbound,
 * bound or listening pcb is freed only by the stack: used as it is.) */
static struct tcp_pcb *tcp_of(struct sock *s)
{
    if (s->kind != S_TCP) {
        return NULL;
    }
    if (tcp_gone(s)) {
        closing_gone(s);
    }
    return s->pcb.tcp;
}

/* Buffers of receive memory @p t holds (unread). */
static unsigned rx_held(struct sock *t)
{
    return t->held;
}

/* Buffers of send memory @p t holds (queued, unsent or unacknowledged). */
static unsigned tx_held(struct sock *t)
{
    struct tcp_pcb *pcb = t->state == T_LISTENING ? NULL : tcp_of(t);
    return pcb != NULL ? tcp_sndqueuelen(pcb) : 0u;
}

/* Datagrams lwIP keeps after a send: to an address it is still resolving,
 * ARP keeps the last one (ARP_QUEUEING 0: one per pending entry, at most
 * ARP_TABLE_SIZE) in the heap until the address answers or is given up
 * (about 5 s). Each is its sender's process's send memory until lwIP lets
 * it go, whether the socket is open or not: else a process could keep the
 * heap full with datagrams to addresses nobody answers, outside its share.
 * The stack holds a reference; lwIP has let go when it is the only one. */
_Static_assert(ARP_QUEUEING == 0, "netstack: parked[] assumes one datagram per ARP entry");
#define PARKED_MAX ARP_TABLE_SIZE
static struct parked {
    struct pbuf *p;
    int8_t owner;
    int32_t owner_restarts;
} parked[PARKED_MAX];

/* Drop the stack's reference to datagrams lwIP has let go. @return any. */
static bool parked_sweep(void)
{
    bool freed = false;
    for (unsigned i = 0; i < PARKED_MAX; i++) {
        if (parked[i].p != NULL && parked[i].p->ref == 1) {
            pbuf_free(parked[i].p);
            parked[i].p = NULL;
            freed = true;
        }
    }
    return freed;
}

/* After a send of @p p by @p s: keep it counted if lwIP kept it. */
static void parked_keep(const struct sock *s, struct pbuf *p)
{
    if (p->ref > 1) {
        parked_sweep();
        for (unsigned i = 0; i < PARKED_MAX; i++) {
            if (parked[i].p == NULL) {
                parked[i] = (struct parked){p, s->owner, s->owner_restarts};
                return;
            }
        }
    }
    pbuf_free(p); /* sent (or, never with ARP_QUEUEING 0, more kept than ARP has entries) */
}

struct census {
    unsigned mine, all, holders; /* @p s's owner's, everyone's, processes holding any */
    uint32_t seen[256 / 32];     /* the processes holding any, by index */
};

/* Count @p n buffers of process @p owner (incarnation @p restarts) in @p c, for @p s. */
static void census_add(struct census *c, const struct sock *s, int8_t owner, int32_t restarts,
                       unsigned n)
{
    if (n == 0) {
        return;
    }
    c->all += n;
    c->mine += owner == s->owner && restarts == s->owner_restarts ? n : 0u;
    uint8_t o = (uint8_t)owner;
    if ((c->seen[o / 32u] & (1u << (o % 32u))) == 0) {
        c->seen[o / 32u] |= 1u << (o % 32u);
        c->holders++;
    }
}

/* What everyone holds of one memory (@p held of each socket), and @p s's owner. */
static struct census census(const struct sock *s, unsigned (*held)(struct sock *))
{
    struct census c = {0};
    for (unsigned i = 0; i < NETSTACK_SOCKETS; i++) {
        struct sock *t = &socks[i];
        census_add(&c, s, t->owner, t->owner_restarts, t->kind == S_FREE ? 0u : held(t));
    }
    return c;
}

/* Everyone's send memory: what connections queue, and datagrams lwIP keeps. */
static struct census tx_census(const struct sock *s)
{
    struct census c = census(s, tx_held);
    for (unsigned i = 0; i < PARKED_MAX; i++) {
        const struct parked *d = &parked[i];
        census_add(&c, s, d->owner, d->owner_restarts, d->p != NULL ? pbuf_clen(d->p) : 0u);
    }
    return c;
}

/* The rule of memory everyone shares, @p pool buffers with @p reserve kept
 * back: while more than @p reserve are free anyone may take them
 * (throughput). When they run short, a process is past its share when it
 * holds what is not kept back divided by the processes holding any, or as
 * many as are left: what is left goes only to those holding less (a
 * process past its share keeps what it holds, so shares alone would let a
 * second one take the reserve). */
static bool past_share(struct census c, unsigned pool, unsigned reserve)
{
    unsigned left = pool - (c.all < pool ? c.all : pool);
    return left <= reserve && (c.mine * c.holders >= pool - reserve || c.mine >= left);
}

/* Is @p s's owner past its share of the receive buffers? */
static bool owner_over(const struct sock *s)
{
    return past_share(census(s, rx_held), PBUF_POOL_SIZE, RX_RESERVE);
}

/* Bytes @p s's owner may queue for sending now: any number while the heap
 * is far from short; one segment at a time near it, while the buffers it
 * may add leave it within its share; none past it (it waits for its peers
 * to acknowledge). */
static uint32_t tx_allowed(const struct sock *s)
{
    struct census c = tx_census(s);
    if (c.all + TX_WRITE_MAX + TX_RESERVE < TX_POOL) {
        return UINT32_MAX;
    }
    c.holders += c.mine == 0; /* it would hold some */
    c.mine += 2;              /* a segment: part in the last buffer, the rest in a new one */
    c.all += 2;
    return past_share(c, TX_POOL, TX_RESERVE) ? 0u : TCP_MSS;
}

/* @p s's owner is over: close the windows of its connections
 * (lwIP drops what arrives beyond them; the peers send it again later). */
static void withhold_windows(const struct sock *s)
{
    for (unsigned i = 0; i < NETSTACK_SOCKETS; i++) {
        struct sock *t = &socks[i];
        struct tcp_pcb *pcb = same_owner(t, s) && !t->closed ? tcp_of(t) : NULL;
        if (pcb != NULL && pcb->state != LISTEN && pcb->rcv_wnd != 0) {
            t->withheld = (uint16_t)(t->withheld + pcb->rcv_wnd);
            pcb->rcv_wnd = 0;
        }
    }
}

/* Open the windows again once @p s's owner is no longer over. */
static void give_back_windows(const struct sock *s)
{
    if (owner_over(s)) {
        return;
    }
    for (unsigned i = 0; i < NETSTACK_SOCKETS; i++) {
        struct sock *t = &socks[i];
        if (same_owner(t, s) && t->withheld != 0) {
            struct tcp_pcb *pcb = t->closed ? NULL : tcp_of(t);
            if (pcb != NULL) {
                tcp_recved(pcb, t->withheld);
            }
            t->withheld = 0;
        }
    }
}

/* ---- sockets kept for named processes ----------------------------------------- */

/* The setting `reserve` ("N:name,..."): process `name` may always hold N
 * sockets, whoever holds the rest (cmrx_kept_may_take()), so a process
 * that opens sockets (or takes connections) and closes none cannot leave
 * a service without them. */
static struct cmrx_kept kept = CMRX_KEPT_INIT(NETSTACK_RESERVE);

/* Sockets process @p owner holds (-1: free ones). */
static unsigned held_by(int owner)
{
    unsigned held = 0;
    for (unsigned i = 0; i < NETSTACK_SOCKETS; i++) {
        bool used = socks[i].kind != S_FREE;
        held += owner < 0 ? !used : used && socks[i].owner == owner;
    }
    return held;
}

/* Whether process @p owner may take one more socket. */
static bool may_take(int owner)
{
    return NETSTACK_RESERVE[0] == 0 || cmrx_kept_may_take(&kept, owner, held_by(-1), held_by);
}

/* Give back the slots of closed connections lwIP is done with (and
 * forget the pcbs of shut ones). */
static void closing_sweep(void)
{
    for (unsigned i = 0; i < NETSTACK_SOCKETS; i++) {
        (void)tcp_of(&socks[i]);
    }
}

/* A free slot that @p owner may take, if any. */
static struct sock *slot_free(int owner)
{
    if (!may_take(owner)) {
        return NULL;
    }
    for (unsigned i = 0; i < NETSTACK_SOCKETS; i++) {
        if (socks[i].kind == S_FREE) {
            return &socks[i];
        }
    }
    return NULL;
}

static struct sock *sock_alloc(int kind, int owner, int32_t restarts)
{
    struct sock *s = slot_free(owner);
    if (s == NULL) {
        closing_sweep(); /* closed connections lwIP is done with give theirs back */
        s = slot_free(owner);
    }
    if (s == NULL) {
        return NULL;
    }
    uint8_t gen = s->gen;
    memset(s, 0, sizeof(*s));
    s->gen = gen;
    s->kind = (uint8_t)kind;
    s->owner = (int8_t)owner;
    s->owner_restarts = restarts;
    netstack_counters.sockets_open++;
    return s;
}

static void tcp_detach(struct tcp_pcb *pcb)
{
    tcp_arg(pcb, NULL);
    if (pcb->state == LISTEN) {
        tcp_accept(pcb, NULL);
    } else {
        tcp_recv(pcb, NULL);
        tcp_sent(pcb, NULL);
        tcp_err(pcb, NULL);
    }
}

/* Close @p s and free its slot: gracefully, or with a reset (@p abort). A
 * connection that lwIP keeps after a graceful close keeps the slot too
 * (T_CLOSING), and what it still has queued counts as its owner's: else a
 * process could close connections full of data its peers never take, and
 * open more, until lwIP's heap and pcbs were all held by closed ones. */
static void sock_free(struct sock *s, bool abort)
{
    bool lingers = false;
    if (s->kind == S_TCP) {
        for (unsigned i = 0; i < s->nq; i++) {
            sock_free(&socks[s->queue[i]], true); /* never accepted */
        }
        struct tcp_pcb *pcb = tcp_gone(s) ? NULL : s->pcb.tcp; /* not tcp_of(): frees T_CLOSING */
        if (pcb != NULL && s->closed) {
            lingers = !abort && s->state != T_CLOSING;
            if (!lingers) {
                tcp_arg(pcb, NULL);
                tcp_abort(pcb);
            }
        } else if (pcb != NULL) {
            tcp_detach(pcb);
            if (pcb->state == LISTEN) {
                tcp_close(pcb);
            } else if (abort || tcp_close(pcb) != ERR_OK) {
                tcp_abort(pcb);
            } else if (pcb_listed(pcb)) {
                tcp_arg(pcb, s); /* tcp_gone() knows it by this */
                s->closed = true;
                lingers = true;
            }
        }
        if (s->rx != NULL) {
            pbuf_free(s->rx);
            s->rx = NULL;
        }
    } else if (s->kind == S_UDP) {
        udp_remove(s->pcb.udp);
        for (unsigned i = 0; i < s->ucount; i++) {
            pbuf_free(s->dq[(s->uhead + i) % UDP_QUEUE].p);
        }
    }
    struct sock was = {.kind = S_TCP, .owner = s->owner, .owner_restarts = s->owner_restarts};
    s->held = 0;
    s->withheld = 0;
    s->gen++; /* its handle names nothing from now on */
    if (lingers) {
        s->state = T_CLOSING;
        s->nq = 0;
    } else {
        s->kind = S_FREE;
        netstack_counters.sockets_open--;
    }
    give_back_windows(&was);
    core_changed();
}

void sockets_reap(void)
{
    closing_sweep();
    if (parked_sweep() || closing_freed) {
        closing_freed = false;
        core_changed();
    }
    for (unsigned i = 0; i < NETSTACK_SOCKETS; i++) {
        struct sock *s = &socks[i];
        /* Accepted but never taken: the listener's own reaping frees it. */
        if (s->kind != S_FREE && !s->queued && owner_gone(s)) {
            sock_free(s, true);
            netstack_counters.reaped++;
        }
    }
}

/* ---- lwIP's callbacks ----------------------------------------------------------- */

static err_t on_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
    struct sock *s = arg;
    (void)pcb;
    if (p == NULL) {
        s->eof = true;
    } else if (err != ERR_OK) {
        pbuf_free(p);
    } else {
        s->held = (uint16_t)(s->held + pbuf_clen(p));
        if (s->rx == NULL) {
            s->rx = p;
        } else {
            pbuf_cat(s->rx, p);
        }
        if (owner_over(s)) {
            withhold_windows(s);
        }
    }
    core_changed();
    return ERR_OK;
}

static err_t on_sent(void *arg, struct tcp_pcb *pcb, u16_t len)
{
    (void)arg;
    (void)pcb;
    (void)len;
    core_changed();
    return ERR_OK;
}

static void on_err(void *arg, err_t err)
{
    struct sock *s = arg; /* lwIP has freed the pcb */
    s->pcb.tcp = NULL;
    s->err = s->state == T_CONNECTING && err == ERR_RST ? NET_ECONNREFUSED
             : s->state == T_CONNECTING                 ? NET_EHOSTUNREACH
                                                        : NET_ECONNRESET;
    s->state = T_FAILED;
    core_changed();
}

static void tcp_attach(struct sock *s, struct tcp_pcb *pcb)
{
    s->pcb.tcp = pcb;
    tcp_arg(pcb, s);
    tcp_recv(pcb, on_recv);
    tcp_sent(pcb, on_sent);
    tcp_err(pcb, on_err);
}

static err_t on_connected(void *arg, struct tcp_pcb *pcb, err_t err)
{
    struct sock *s = arg;
    (void)pcb;
    (void)err;
    s->state = T_CONNECTED;
    core_changed();
    return ERR_OK;
}

static err_t on_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
    struct sock *l = arg;
    if (err != ERR_OK || pcb == NULL) {
        return ERR_VAL;
    }
    struct sock *s = l->nq < l->backlog ? sock_alloc(S_TCP, l->owner, l->owner_restarts) : NULL;
    if (s == NULL) {
        netstack_counters.tcp_refused++;
        tcp_abort(pcb);
        return ERR_ABRT;
    }
    s->state = T_CONNECTED;
    s->queued = true;
    tcp_attach(s, pcb);
    /* A process past its share gets no window on a new connection either. */
    if (owner_over(s)) {
        withhold_windows(s);
    }
    l->queue[l->nq++] = (int8_t)(s - socks);
    netstack_counters.tcp_accepted++;
    core_changed();
    return ERR_OK;
}

static void on_datagram(void *arg, struct udp_pcb *pcb, struct pbuf *p, const ip_addr_t *addr,
                        u16_t port)
{
    struct sock *s = arg;
    (void)pcb;
    if (s->ucount == UDP_QUEUE || owner_over(s)) {
        netstack_counters.udp_dropped++;
        pbuf_free(p);
        return;
    }
    struct dgram *d = &s->dq[(s->uhead + s->ucount++) % UDP_QUEUE];
    d->p = p;
    s->held = (uint16_t)(s->held + pbuf_clen(p));
    ip_addr_copy(d->addr, *addr);
    d->port = port;
    core_changed();
}

/* ---- the methods ------------------------------------------------------------------- */

/* Lock and look the socket up, of kind @p k (S_TCP, S_UDP, or S_FREE for
 * either); on failure return its error (unlocked). */
#define ENTER(h, s, k)                                                                             \
    do {                                                                                           \
        if (core_lock() != CMRX_OK) {                                                              \
            return CMRX_EKILLED;                                                                   \
        }                                                                                          \
        int rc_ = lookup((h), &(s));                                                               \
        if (rc_ == CMRX_OK && (k) != S_FREE && (s)->kind != (k)) {                                 \
            rc_ = NET_EOPNOTSUPP;                                                                  \
        }                                                                                          \
        if (rc_ != CMRX_OK) {                                                                      \
            core_unlock();                                                                         \
            return rc_;                                                                            \
        }                                                                                          \
    } while (0)

/* Lock for a method that fills the caller's structure @p out. */
#define ENTER_OUT(out)                                                                             \
    do {                                                                                           \
        if (netstack_buffer((out), sizeof(*(out))) != CMRX_OK) {                                   \
            return CMRX_EFAULT;                                                                    \
        }                                                                                          \
        if (core_lock() != CMRX_OK) {                                                              \
            return CMRX_EKILLED;                                                                   \
        }                                                                                          \
    } while (0)

#define LEAVE(v)                                                                                   \
    do {                                                                                           \
        int v_ = (v);                                                                              \
        core_unlock();                                                                             \
        return v_;                                                                                 \
    } while (0)

/* Sleep until something changes, then find the socket again (it may have
 * been closed meanwhile); leaves on a timeout (@p timed_out), an error or
 * the caller's death. */
#define AWAIT(h, s, start, timeout, timed_out)                                                     \
    do {                                                                                           \
        if ((timeout) == 0) {                                                                      \
            LEAVE(CMRX_EAGAIN);                                                                    \
        }                                                                                          \
        uint32_t left_ = time_left((start), (timeout));                                            \
        int w_ = left_ == 0 ? CMRX_ETIMEDOUT : core_wait(core_events, left_);                      \
        if (w_ == CMRX_EKILLED) {                                                                  \
            return CMRX_EKILLED;                                                                   \
        }                                                                                          \
        int rc_ = lookup((h), &(s));                                                               \
        if (rc_ != CMRX_OK) {                                                                      \
            LEAVE(rc_);                                                                            \
        }                                                                                          \
        if (w_ == CMRX_ETIMEDOUT) {                                                                \
            LEAVE(timed_out);                                                                      \
        }                                                                                          \
    } while (0)

static int m_socket(struct netstack *self, int kind)
{
    (void)self;
    if (kind != NET_TCP && kind != NET_UDP) {
        return CMRX_EINVAL;
    }
    if (core_lock() != CMRX_OK) {
        return CMRX_EKILLED;
    }
    int caller = (int)CMRX_RUN_PID(core_caller_run());
    int32_t restarts = CMRX_RUN_RESTARTS(core_caller_run());
    int tcp = kind == NET_TCP;
    struct sock *s = sock_alloc(tcp ? S_TCP : S_UDP, caller, restarts);
    if (s == NULL) {
        sockets_reap(); /* a dead process's sockets may be due */
        s = sock_alloc(tcp ? S_TCP : S_UDP, caller, restarts);
    }
    if (s == NULL) {
        LEAVE(NET_EMFILE);
    }
    if (tcp) {
        struct tcp_pcb *pcb = tcp_new();
        if (pcb != NULL) {
            ip_set_option(pcb, SOF_REUSEADDR); /* a restarted server binds its port again */
            tcp_attach(s, pcb);
        }
    } else {
        s->pcb.udp = udp_new();
        if (s->pcb.udp != NULL) {
            udp_recv(s->pcb.udp, on_datagram, s);
        }
    }
    if (s->pcb.tcp == NULL) {
        s->kind = S_FREE;
        netstack_counters.sockets_open--;
        LEAVE(NET_ENOBUFS);
    }
    LEAVE(handle_of(s));
}

static int m_bind(struct netstack *self, int h, uint32_t ip, uint32_t port)
{
    (void)self;
    struct sock *s;
    if (port > 0xFFFFu) {
        return CMRX_EINVAL;
    }
    ENTER(h, s, S_FREE);
    if (s->kind == S_TCP && s->state != T_NEW) {
        LEAVE(NET_EISCONN);
    }
    /* A port the build keeps for a process (setting `ports`) is bound by
     * that process alone, whether it runs or not; 0 picks a free one. */
    if (port != 0u && cmrx_owner_check(NETSTACK_PORTS, port, (unsigned)s->owner) != CMRX_OK) {
        LEAVE(CMRX_EPERM);
    }
    ip_addr_t a;
    ip_addr_set_ip4_u32_val(a, ip);
    err_t e = s->kind == S_TCP ? tcp_bind(s->pcb.tcp, &a, (u16_t)port)
                               : udp_bind(s->pcb.udp, &a, (u16_t)port);
    if (e == ERR_USE) {
        sockets_reap(); /* the port may belong to a dead process's socket */
        e = s->kind == S_TCP ? tcp_bind(s->pcb.tcp, &a, (u16_t)port)
                             : udp_bind(s->pcb.udp, &a, (u16_t)port);
    }
    LEAVE(e == ERR_OK ? CMRX_OK : e == ERR_USE ? NET_EADDRINUSE : CMRX_EINVAL);
}

/* Does another socket listen on @p pcb's port, on its address or on any?
 * lwIP refuses a second listener only on the same address (the pcbs have
 * SOF_REUSEADDR), and gives a connection to the one on the board's own
 * address before one on any: a second listener would take the first's. */
static bool port_listened(const struct tcp_pcb *pcb)
{
    for (unsigned i = 0; i < NETSTACK_SOCKETS; i++) {
        const struct sock *t = &socks[i];
        const struct tcp_pcb *l = t->kind == S_TCP && t->state == T_LISTENING ? t->pcb.tcp : NULL;
        if (l != NULL && l != pcb && l->local_port == pcb->local_port &&
            (ip_addr_isany(&l->local_ip) || ip_addr_isany(&pcb->local_ip) ||
             ip_addr_eq(&l->local_ip, &pcb->local_ip))) {
            return true;
        }
    }
    return false;
}

static int m_listen(struct netstack *self, int h, int backlog)
{
    (void)self;
    struct sock *s;
    if (backlog < 1 || backlog > (int)BACKLOG_MAX) {
        return CMRX_EINVAL;
    }
    ENTER(h, s, S_TCP);
    if (s->state != T_NEW) {
        LEAVE(NET_EISCONN);
    }
    if (s->pcb.tcp->local_port == 0) {
        LEAVE(CMRX_EINVAL); /* bind first */
    }
    if (port_listened(s->pcb.tcp)) {
        sockets_reap(); /* the listener may be a dead process's */
        if (port_listened(s->pcb.tcp)) {
            LEAVE(NET_EADDRINUSE);
        }
    }
    err_t e = ERR_OK;
    struct tcp_pcb *l = tcp_listen_with_backlog_and_err(s->pcb.tcp, (u8_t)backlog, &e);
    if (l == NULL && e == ERR_USE) {
        sockets_reap(); /* the listener may be a dead process's */
        l = tcp_listen_with_backlog_and_err(s->pcb.tcp, (u8_t)backlog, &e);
    }
    if (l == NULL) {
        /* Bound with SOF_REUSEADDR, the port may have a listener already. */
        LEAVE(e == ERR_USE ? NET_EADDRINUSE : NET_ENOBUFS);
    }
    s->pcb.tcp = l; /* the unbound pcb was freed */
    s->state = T_LISTENING;
    s->backlog = (uint8_t)backlog;
    tcp_arg(l, s);
    tcp_accept(l, on_accept);
    LEAVE(CMRX_OK);
}

static int m_accept(struct netstack *self, int h, struct net_addr *peer, uint32_t timeout_us)
{
    (void)self;
    struct sock *s;
    if (peer != NULL && netstack_buffer(peer, sizeof(*peer)) != CMRX_OK) {
        return CMRX_EFAULT;
    }
    uint32_t start = cmrx_time_us();
    ENTER(h, s, S_TCP);
    if (s->state != T_LISTENING) {
        LEAVE(CMRX_EINVAL);
    }
    while (s->nq == 0) {
        AWAIT(h, s, start, timeout_us, CMRX_ETIMEDOUT);
        if (s->state != T_LISTENING) {
            LEAVE(CMRX_EINVAL);
        }
    }
    struct sock *c = &socks[s->queue[0]];
    s->nq--;
    memmove(s->queue, s->queue + 1, s->nq);
    c->queued = false; /* its handle names it from now on */
    if (peer != NULL) {
        memset(peer, 0, sizeof(*peer));
        const struct tcp_pcb *pcb = tcp_of(c);
        if (pcb != NULL) {
            peer->ip = ip4_addr_get_u32(ip_2_ip4(&pcb->remote_ip));
            peer->port = pcb->remote_port;
        }
    }
    LEAVE(handle_of(c));
}

static int m_connect(struct netstack *self, int h, uint32_t ip, uint32_t port, uint32_t timeout_us)
{
    (void)self;
    struct sock *s;
    if (port == 0 || port > 0xFFFFu) {
        return CMRX_EINVAL;
    }
    uint32_t start = cmrx_time_us();
    ENTER(h, s, S_TCP);
    if (s->state == T_CONNECTED || s->state == T_LISTENING) {
        LEAVE(NET_EISCONN);
    }
    if (s->state == T_FAILED) {
        LEAVE(s->err);
    }
    if (s->state == T_NEW) {
        if (ip4_addr_isany_val(*netif_ip4_addr(&netstack_netif))) {
            LEAVE(NET_ENETDOWN);
        }
        ip_addr_t a;
        ip_addr_set_ip4_u32_val(a, ip);
        err_t e = tcp_connect(s->pcb.tcp, &a, (u16_t)port, on_connected);
        if (e != ERR_OK) {
            LEAVE(e == ERR_RTE ? NET_EHOSTUNREACH : e == ERR_USE ? NET_EADDRINUSE : NET_ENOBUFS);
        }
        s->state = T_CONNECTING;
    }
    while (s->state == T_CONNECTING) {
        if (timeout_us == 0) {
            LEAVE(NET_EINPROGRESS);
        }
        AWAIT(h, s, start, timeout_us, CMRX_ETIMEDOUT);
    }
    LEAVE(s->state == T_CONNECTED ? CMRX_OK : s->err);
}

/* A caller's data buffer of one send or recv: 1..NET_IO_MAX bytes of its shared memory. */
static int check_io(const void *buf, uint32_t len)
{
    if (len == 0) {
        return CMRX_EINVAL;
    }
    if (len > NET_IO_MAX) {
        return NET_EMSGSIZE;
    }
    return netstack_buffer(buf, len) == CMRX_OK ? CMRX_OK : CMRX_EFAULT;
}

static int m_send(struct netstack *self, int h, const void *buf, uint32_t len, uint32_t timeout_us)
{
    (void)self;
    struct sock *s;
    int rc = check_io(buf, len);
    if (rc != CMRX_OK) {
        return rc;
    }
    uint32_t start = cmrx_time_us();
    uint32_t done = 0;
    ENTER(h, s, S_TCP);
    for (;;) {
        if (s->state == T_FAILED) {
            LEAVE(done ? (int)done : s->err);
        }
        if (s->state != T_CONNECTED) {
            LEAVE(NET_ENOTCONN);
        }
        if (s->shut_wr) {
            LEAVE(NET_ESHUTDOWN);
        }
        struct tcp_pcb *pcb = tcp_of(s); /* connected, not shut: lwIP's */
        uint32_t room = tcp_sndbuf(pcb);
        uint32_t allowed = tx_allowed(s); /* its share of the heap */
        room = allowed < room ? allowed : room;
        uint32_t n = len - done < room ? len - done : room;
        if (n > 0 && tcp_sndqueuelen(pcb) < TCP_SND_QUEUELEN) {
            u8_t more = done + n < len ? TCP_WRITE_FLAG_MORE : 0;
            if (tcp_write(pcb, (const uint8_t *)buf + done, (u16_t)n, TCP_WRITE_FLAG_COPY | more) ==
                ERR_OK) {
                done += n;
            }
        }
        tcp_output(pcb);
        if (done == len) {
            LEAVE((int)len);
        }
        if (timeout_us == 0) {
            LEAVE(done ? (int)done : CMRX_EAGAIN);
        }
        AWAIT(h, s, start, timeout_us, done ? (int)done : CMRX_ETIMEDOUT);
    }
}

static int m_recv(struct netstack *self, int h, void *buf, uint32_t len, uint32_t timeout_us)
{
    (void)self;
    struct sock *s;
    int rc = check_io(buf, len);
    if (rc != CMRX_OK) {
        return rc;
    }
    uint32_t start = cmrx_time_us();
    ENTER(h, s, S_TCP);
    if (s->state == T_NEW || s->state == T_CONNECTING || s->state == T_LISTENING) {
        LEAVE(NET_ENOTCONN);
    }
    while (s->rx == NULL) {
        if (s->state == T_FAILED) {
            LEAVE(s->err);
        }
        if (s->eof || s->shut_rd) {
            LEAVE(0);
        }
        AWAIT(h, s, start, timeout_us, CMRX_ETIMEDOUT);
    }
    u16_t n = (u16_t)(len < s->rx->tot_len ? len : s->rx->tot_len);
    pbuf_copy_partial(s->rx, buf, n, 0);
    u16_t before = pbuf_clen(s->rx);
    s->rx = pbuf_free_header(s->rx, n);
    s->held = (uint16_t)(s->held - (before - (s->rx != NULL ? pbuf_clen(s->rx) : 0u)));
    struct tcp_pcb *pcb = tcp_of(s);
    if (pcb != NULL) {
        tcp_recved(pcb, n); /* the window opens as the application reads */
    }
    give_back_windows(s);
    LEAVE(n);
}

/* Take the caller's message descriptor: copied first (the caller's other
 * threads may change it meanwhile), then checked, buffer included. */
static int take_msg(const struct net_msg *msg, uint32_t max, struct net_msg *out)
{
    if (netstack_buffer(msg, sizeof(*msg)) != CMRX_OK) {
        return CMRX_EFAULT;
    }
    *out = *msg;
    if (out->len == 0) {
        return CMRX_EINVAL;
    }
    if (out->len > max) {
        return NET_EMSGSIZE;
    }
    return netstack_buffer(out->buf, out->len) == CMRX_OK ? CMRX_OK : CMRX_EFAULT;
}

static int m_sendto(struct netstack *self, int h, const struct net_msg *msg)
{
    (void)self;
    struct sock *s;
    struct net_msg m;
    int rc = take_msg(msg, NET_UDP_MAX, &m);
    if (rc == CMRX_OK && m.addr.port == 0) {
        rc = CMRX_EINVAL;
    }
    if (rc != CMRX_OK) {
        return rc;
    }
    ENTER(h, s, S_UDP);
    /* lwIP may keep the datagram (parked[]): only within the owner's share. */
    if (tx_allowed(s) == 0) {
        LEAVE(NET_ENOBUFS);
    }
    struct pbuf *p = pbuf_alloc(PBUF_TRANSPORT, (u16_t)m.len, PBUF_RAM);
    if (p == NULL) {
        LEAVE(NET_ENOBUFS);
    }
    pbuf_take(p, m.buf, (u16_t)m.len);
    ip_addr_t a;
    ip_addr_set_ip4_u32_val(a, m.addr.ip);
    err_t e = udp_sendto(s->pcb.udp, p, &a, m.addr.port);
    parked_keep(s, p);
    if (e == ERR_OK && core_flush() != CMRX_OK) {
        e = ERR_IF; /* the driver did not take it */
    }
    LEAVE(e == ERR_OK    ? (int)m.len
          : e == ERR_RTE ? NET_EHOSTUNREACH
          : e == ERR_MEM ? NET_ENOBUFS
                         : NET_ENETDOWN);
}

static int m_recvfrom(struct netstack *self, int h, struct net_msg *msg, uint32_t timeout_us)
{
    (void)self;
    struct sock *s;
    struct net_msg m;
    int rc = take_msg(msg, NET_IO_MAX, &m);
    if (rc != CMRX_OK) {
        return rc;
    }
    uint32_t start = cmrx_time_us();
    ENTER(h, s, S_UDP);
    while (s->ucount == 0) {
        AWAIT(h, s, start, timeout_us, CMRX_ETIMEDOUT);
    }
    struct dgram *d = &s->dq[s->uhead];
    s->uhead = (uint8_t)((s->uhead + 1u) % UDP_QUEUE);
    s->ucount--;
    u16_t n = (u16_t)(m.len < d->p->tot_len ? m.len : d->p->tot_len);
    pbuf_copy_partial(d->p, m.buf, n, 0);
    msg->len = d->p->tot_len;
    msg->addr.ip = ip4_addr_get_u32(ip_2_ip4(&d->addr));
    msg->addr.port = d->port;
    msg->addr.reserved = 0;
    s->held = (uint16_t)(s->held - pbuf_clen(d->p));
    pbuf_free(d->p);
    give_back_windows(s);
    LEAVE(n);
}

static int m_shutdown(struct netstack *self, int h, int how)
{
    (void)self;
    struct sock *s;
    if (how < NET_SHUT_RD || how > NET_SHUT_RDWR) {
        return CMRX_EINVAL;
    }
    ENTER(h, s, S_TCP);
    if (s->state != T_CONNECTED) {
        LEAVE(s->state == T_FAILED ? s->err : NET_ENOTCONN);
    }
    int rd = (how & NET_SHUT_RD) != 0, wr = (how & NET_SHUT_WR) != 0;
    struct tcp_pcb *pcb = tcp_of(s); /* NULL: shut for writing, and lwIP is done */
    if (rd && wr) {
        /* Both ways: the connection ends as on close(), and lwIP owns what is
         * left of it; the socket stays (answering NET_ENOTCONN) until close(). */
        s->pcb.tcp = NULL;
        if (pcb != NULL) {
            tcp_detach(pcb);
            if (tcp_close(pcb) != ERR_OK) {
                tcp_abort(pcb);
            } else if (pcb_listed(pcb)) {
                tcp_arg(pcb, s); /* what it still sends is its owner's (sock_free) */
                s->pcb.tcp = pcb;
                s->closed = true;
            }
        }
        s->withheld = 0;
        s->state = T_FAILED;
        s->err = NET_ENOTCONN;
    } else if (pcb != NULL && tcp_shutdown(pcb, rd, wr) != ERR_OK) {
        LEAVE(NET_ENOBUFS);
    }
    if (rd && s->rx != NULL) {
        pbuf_free(s->rx); /* what was not read is gone */
        s->rx = NULL;
        s->held = 0;
        give_back_windows(s);
    }
    s->shut_rd = s->shut_rd || rd;
    s->shut_wr = s->shut_wr || wr;
    LEAVE(CMRX_OK);
}

static int m_close(struct netstack *self, int h)
{
    (void)self;
    struct sock *s;
    ENTER(h, s, S_FREE);
    sock_free(s, false);
    LEAVE(CMRX_OK);
}

/* What is ready on socket @p h for the caller (NET_POLL* bits), of @p want
 * (POLLOUT, which counts everyone's send buffers, only when asked). */
static uint16_t readiness(int h, uint16_t want)
{
    struct sock *s;
    if (lookup(h, &s) != CMRX_OK) {
        return NET_POLLNVAL;
    }
    uint16_t r = 0;
    if (s->kind == S_UDP) {
        return (uint16_t)((s->ucount ? NET_POLLIN : 0u) | NET_POLLOUT);
    }
    switch (s->state) {
    case T_LISTENING:
        return s->nq ? NET_POLLIN : 0u;
    case T_FAILED:
        return NET_POLLIN | NET_POLLERR | NET_POLLHUP;
    case T_CONNECTED:
        if (s->rx != NULL || s->eof || s->shut_rd) {
            r |= NET_POLLIN;
        }
        if (s->eof) {
            r |= NET_POLLHUP;
        }
        if ((want & NET_POLLOUT) && !s->shut_wr && tcp_sndbuf(tcp_of(s)) > 0 && tx_allowed(s) > 0) {
            r |= NET_POLLOUT;
        }
        return r;
    default:
        return 0;
    }
}

static int m_poll(struct netstack *self, struct net_pollfd *fds, uint32_t n, uint32_t timeout_us)
{
    (void)self;
    if (n == 0 || n > NET_POLL_MAX) {
        return CMRX_EINVAL;
    }
    if (netstack_buffer(fds, n * sizeof(*fds)) != CMRX_OK) {
        return CMRX_EFAULT;
    }
    uint32_t start = cmrx_time_us();
    if (core_lock() != CMRX_OK) {
        return CMRX_EKILLED;
    }
    for (;;) {
        int ready = 0;
        for (uint32_t i = 0; i < n; i++) {
            uint16_t want = fds[i].events | NET_POLLERR | NET_POLLHUP | NET_POLLNVAL;
            fds[i].revents = readiness(fds[i].sock, want) & want;
            ready += fds[i].revents != 0;
        }
        uint32_t left = time_left(start, timeout_us);
        if (ready != 0 || left == 0) {
            LEAVE(ready);
        }
        int w = core_wait(core_events, left);
        if (w == CMRX_EKILLED) {
            return CMRX_EKILLED;
        }
    }
}

static int m_ifconfig(struct netstack *self, struct net_ifinfo *out)
{
    (void)self;
    ENTER_OUT(out);
    struct netif *nif = &netstack_netif;
    memset(out, 0, sizeof(*out));
    out->ip = ip4_addr_get_u32(netif_ip4_addr(nif));
    out->netmask = ip4_addr_get_u32(netif_ip4_netmask(nif));
    out->gateway = ip4_addr_get_u32(netif_ip4_gw(nif));
    memcpy(out->mac, nif->hwaddr, sizeof(out->mac));
    out->up = netif_is_up(nif) && out->ip != 0;
    out->dhcp = netstack_dhcp;
    struct dhcp *d = netif_dhcp_data(nif);
    out->lease_s = netstack_dhcp && d != NULL ? d->offered_t0_lease : 0;
    LEAVE(CMRX_OK);
}

static int m_wait_up(struct netstack *self, uint32_t timeout_us)
{
    (void)self;
    uint32_t start = cmrx_time_us();
    if (core_lock() != CMRX_OK) {
        return CMRX_EKILLED;
    }
    while (ip4_addr_isany_val(*netif_ip4_addr(&netstack_netif))) {
        uint32_t left = time_left(start, timeout_us);
        int w = left == 0 ? CMRX_ETIMEDOUT : core_wait(core_events, left);
        if (w == CMRX_EKILLED) {
            return CMRX_EKILLED;
        }
        if (w == CMRX_ETIMEDOUT) {
            LEAVE(CMRX_ETIMEDOUT);
        }
    }
    LEAVE(CMRX_OK);
}

static int m_stats(struct netstack *self, struct net_stats *out)
{
    (void)self;
    ENTER_OUT(out);
    memcpy(out, &netstack_counters, sizeof(*out));
    out->tx_buffers = tx_census(&socks[0]).all;
    out->tx_buffers_max = TX_POOL;
    LEAVE(CMRX_OK);
}

CMRX_VTABLE(struct netstack_vtable, netstack_vtable) = {
    m_socket,   m_bind,     m_listen, m_accept, m_connect,  m_send,    m_recv, m_sendto,
    m_recvfrom, m_shutdown, m_close,  m_poll,   m_ifconfig, m_wait_up, m_stats};
CMRX_EXPORT struct netstack netstack_service = {&netstack_vtable};

#ifdef NETSTACK_TEST_HOOKS
/* Tests only (tests/net): a call that faults inside the stack while it
 * holds the core lock, as a bug of lwIP would. */
struct netstack_fault;
struct netstack_fault_vtable {
    int (*fault)(struct netstack_fault *self);
};
struct netstack_fault {
    const struct netstack_fault_vtable *vtable;
};
static int m_fault(struct netstack_fault *self)
{
    (void)self;
    if (core_lock() == CMRX_OK) {
        __builtin_trap();
    }
    return CMRX_EKILLED;
}
CMRX_VTABLE(struct netstack_fault_vtable, netstack_fault_vt) = {m_fault};
CMRX_EXPORT struct netstack_fault netstack_fault = {&netstack_fault_vt};
#endif
