/* A version 3 of the service with one more service object, placed before
 * the one clients know: the kernel must refuse it (CMRX_EINTERFACE). */
#include "upd.h"

static int version(struct upd_svc *self)
{
    self->calls++;
    return 3;
}

static int add(struct upd_svc *self, uint32_t a, uint32_t b)
{
    self->calls++;
    return (int)(a + b);
}

CMRX_VTABLE(struct upd_svc_vtable, svc_vt) = {version, add};
CMRX_SERVICE struct upd_svc upd_extra = {&svc_vt, 0};
CMRX_SERVICE struct upd_svc upd_service = {&svc_vt, 0};
