/* RPC error test: a second service process, whose vtable err_srv borrows. */
#include "rpc_err.h"

struct other_svc;
struct other_vtable {
    int (*hello)(struct other_svc *self);
};

static int hello(struct other_svc *self)
{
    (void)self;
    return 7;
}

CMRX_VTABLE(struct other_vtable, other_vt) = {hello};
CMRX_EXPORT const void *const err_other_vtable = &other_vt;

/* Beats while err_srv faults: a fault elsewhere does not stop it. */
static int beat(void *arg)
{
    (void)arg;
    for (unsigned n = 1;; n++) {
        cmrx_usleep(2000);
        if (n % 5 == 0) {
            cmrx_printf("err_other heartbeat %u\n", n);
        }
    }
    return 0;
}

CMRX_THREAD(beat, NULL);
