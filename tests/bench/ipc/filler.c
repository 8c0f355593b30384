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
static struct nop_svc filler_nop __attribute__((used)) = {&filler_vt};
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
