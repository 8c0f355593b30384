/* A process that only makes the system bigger: it serves an object and
 * has a thread waiting on its own word, as a real service would, so that
 * the benchmark's figures with 8 and 16 processes show what the kernel's
 * paths pay per process, thread, waiter and object. */
#include "peer.h"

static int nop(struct nop_svc *self)
{
    (void)self;
    return 0;
}

CMRX_VTABLE(struct nop_vtable, filler_vt) = {nop};
/* filler_nop1 ... filler_nop14 (FILLER_ID from the build): the benchmark's
 * alternating RPC case calls the last one of its firmware. */
#define FILLER_NAME_(i) filler_nop##i
#define FILLER_NAME(i)  FILLER_NAME_(i)
CMRX_EXPORT struct nop_svc FILLER_NAME(FILLER_ID) = {&filler_vt};
static volatile uint32_t word;

static int idle(void *arg)
{
    (void)arg;
    for (;;) {
        cmrx_wait(&word, 0, CMRX_FOREVER);
    }
    return 0;
}

CMRX_THREAD(idle, NULL);
