/* The service, SVC_VERSION as its answer; SVC_PLAIN: not updatable (the
 * same process without reservations, for the cost of one). */
#include "svc.h"

#ifdef SVC_PLAIN
#define SVC_OBJECT CMRX_EXPORT
#else
#define SVC_OBJECT CMRX_SERVICE
#endif

/* Constants, so that the image is a service's size, not a stub's: the
 * commit hashes all of it. */
static const uint32_t table[256] = {SVC_VERSION, 1, 2, 3};
static volatile uint32_t pick; /* 0, read at run time: the table stays */

static int version(struct bsvc *self)
{
    (void)self;
    return (int)table[pick % 256u];
}

CMRX_VTABLE(struct bsvc_vtable, bsvc_vt) = {version};
SVC_OBJECT struct bsvc bsvc_service = {&bsvc_vt};

/* An autostart thread, as a service usually has: part of a switch. */
static int svc_main(void *arg)
{
    (void)arg;
    return 0;
}

CMRX_THREAD(svc_main, NULL);
