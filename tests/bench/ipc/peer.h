/* The other process of the IPC benchmark: an empty RPC method and a thread
 * waiting on a doorbell. */
#ifndef CMRX_BENCH_PEER_H
#define CMRX_BENCH_PEER_H

#include <cmrx/cmrx.h>

struct nop_svc;
struct nop_vtable {
    int (*nop)(struct nop_svc *self);
};
struct nop_svc {
    const struct nop_vtable *vtable;
};

extern struct nop_svc peer_nop;
extern struct nop_svc peer_nop2;        /* another object of the same process */
extern struct nop_svc peer_nop3;        /* and a third */
extern volatile uint32_t peer_doorbell; /* rung by bench, waited on by peer */
extern volatile uint32_t peer_rounds;   /* how often peer woke */

#endif
