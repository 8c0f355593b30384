/* The updatable service, version 1: answers 1, adds. */
#include "upd.h"

static int version(struct upd_svc *self)
{
    self->calls++;
    return 1;
}

static int add(struct upd_svc *self, uint32_t a, uint32_t b)
{
    self->calls++;
    return (int)(a + b);
}

CMRX_VTABLE(struct upd_svc_vtable, svc_vt) = {version, add};
CMRX_SERVICE struct upd_svc upd_service = {&svc_vt, 0};

static int banner(void *arg)
{
    (void)arg;
    cmrx_printf("upd_svc: version 1 ready\n");
    return 0;
}

CMRX_THREAD(banner, NULL);
