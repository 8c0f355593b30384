#include "peer.h"

static int nop(struct nop_svc *self)
{
    (void)self;
    return 0;
}

CMRX_VTABLE(struct nop_vtable, nop_vt) = {nop};
CMRX_EXPORT struct nop_svc peer_nop = {&nop_vt};
CMRX_EXPORT struct nop_svc peer_nop2 = {&nop_vt};
CMRX_EXPORT struct nop_svc peer_nop3 = {&nop_vt};
CMRX_EXPORT volatile uint32_t peer_doorbell;
CMRX_EXPORT volatile uint32_t peer_rounds;

/* PEER_EXTRA more threads (the thread growth firmware), each waiting on a
 * word of its own as a service's threads do. */
#ifndef PEER_EXTRA
#define PEER_EXTRA 0
#endif
#if PEER_EXTRA > 0
static volatile uint32_t words[PEER_EXTRA];

static int sleeper(void *arg)
{
    for (;;) {
        cmrx_wait((volatile uint32_t *)arg, 0, CMRX_FOREVER);
    }
    return 0;
}
#endif

/* Higher priority than bench: every ring runs this at once, and its next
 * wait hands the CPU back. */
static int waiter(void *arg)
{
    (void)arg;
#if PEER_EXTRA > 0
    for (unsigned i = 0; i < PEER_EXTRA; i++) {
        if (cmrx_thread_create(sleeper, (void *)&words[i], 15) < 0) {
            cmrx_printf("BENCH ERROR: no thread %u\n", i);
        }
    }
#endif
    for (;;) {
        cmrx_wait(&peer_doorbell, 0, CMRX_FOREVER);
        peer_rounds++;
    }
    return 0;
}

CMRX_THREAD(waiter, NULL);
