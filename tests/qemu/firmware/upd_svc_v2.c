/* The updatable service, version 2: answers 2, adds and says so; more
 * code and data than version 1 (a table the new version brings). */
#include "upd.h"

static const uint32_t bonus[64] = {
    1000, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21,
};
static uint32_t answered[8] = {7, 7, 7, 7, 7, 7, 7, 7};

static int version(struct upd_svc *self)
{
    self->calls++;
    answered[self->calls % 8]++;
    return 2;
}

static int add(struct upd_svc *self, uint32_t a, uint32_t b)
{
    self->calls++;
    return (int)(a + b + bonus[0]);
}

CMRX_VTABLE(struct upd_svc_vtable, svc_vt) = {version, add};
CMRX_SERVICE struct upd_svc upd_service = {&svc_vt, 0};

static int banner(void *arg)
{
    (void)arg;
    cmrx_printf("upd_svc: version 2 ready, data %u\n", (unsigned)answered[0]);
    return 0;
}

CMRX_THREAD(banner, NULL);
