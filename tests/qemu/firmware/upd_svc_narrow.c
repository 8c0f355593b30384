/* A version 3 of the service that serves fewer methods of its interface
 * than version 1 did: the kernel must refuse it (CMRX_EINTERFACE). */
#include <cmrx/cmrx.h>
#include <cmrx/update.h>

#include <stdint.h>

struct upd_svc;
struct upd_svc_vtable { /* the same interface, without add() */
    int (*version)(struct upd_svc *self);
};
struct upd_svc {
    const struct upd_svc_vtable *vtable;
    uint32_t calls;
};

static int version(struct upd_svc *self)
{
    self->calls++;
    return 3;
}

CMRX_VTABLE(struct upd_svc_vtable, svc_vt) = {version};
CMRX_SERVICE struct upd_svc upd_service = {&svc_vt, 0};
