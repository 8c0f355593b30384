/* The probed service: answers who called and whether a buffer is the
 * caller's to lend. */
#include "svcapi.h"

CMRX_EXPORT uint8_t probe_private[16];

static int who(struct probe *self)
{
    (void)self;
    return cmrx_rpc_caller();
}

static int check(struct probe *self, const void *buf, uint32_t len)
{
    (void)self;
    return cmrx_rpc_buffer(buf, len);
}

CMRX_VTABLE(struct probe_vtable, probe_vt) = {who, check};
CMRX_EXPORT struct probe probe_service = {&probe_vt};

static int beat(void *arg)
{
    (void)arg;
    cmrx_printf("svcapi_srv: started, restarts=%d\n",
                cmrx_process_restarts((unsigned)cmrx_process_self()));
    for (;;) {
        cmrx_usleep(1000);
    }
    return 0;
}

CMRX_THREAD(beat, NULL);
