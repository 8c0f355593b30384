/* RPC error test: the service process. */
#include "rpc_err.h"

CMRX_EXPORT volatile uint32_t err_srv_word = 0x12345678;
CMRX_EXPORT struct fake_svc err_fake;

static int ok(struct err_svc *self)
{
    (void)self;
    return 1;
}

static CMRX_SHARED volatile uint32_t srv_shared_uses;

/* Calls itself through the kernel until the depth limit answers. Its own
 * .shared memory stays usable in calls to itself (ARMv8-M must not map it
 * twice: overlapping regions fault there). */
static int recurse(struct err_svc *self, uint32_t depth)
{
    srv_shared_uses++;
    int r = cmrx_rpc_call(self, recurse, depth + 1);
    return r < 0 ? r : (int)depth;
}

/* A read of address 4 is the fault this service is for. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Warray-bounds"
static int crash(struct err_svc *self)
{
    (void)self;
    return *(volatile int *)(uintptr_t)4;
}
#pragma GCC diagnostic pop

CMRX_VTABLE(struct err_vtable, err_vt) = {ok, recurse, crash};
CMRX_EXPORT struct err_svc err_service = {&err_vt};

static int setup(void *arg)
{
    (void)arg;
    /* An object in our memory pointing at another process's vtable. */
    err_fake.vtable = err_other_vtable;
    return 0;
}

CMRX_THREAD_PRIO(setup, NULL, 1);
