#include "peer.h"

static int nop(struct nop_svc *self)
{
    (void)self;
    return 0;
}

CMRX_VTABLE(struct nop_vtable, nop_vt) = {nop};
CMRX_EXPORT struct nop_svc peer_nop = {&nop_vt};
CMRX_EXPORT volatile uint32_t peer_doorbell;
CMRX_EXPORT volatile uint32_t peer_rounds;

/* Higher priority than bench: every ring runs this at once, and its next
 * wait hands the CPU back. */
static int waiter(void *arg)
{
    (void)arg;
    for (;;) {
        cmrx_wait(&peer_doorbell, 0, CMRX_FOREVER);
        peer_rounds++;
    }
    return 0;
}

CMRX_THREAD(waiter, NULL);
