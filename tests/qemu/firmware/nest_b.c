/* Process B of the nested-RPC test: relays to C or back to A. */
#include "nest.h"

static CMRX_SHARED volatile uint32_t b_shared = 0xB0B0;

static int to_c(struct svc_b *self, int x)
{
    (void)self;
    return cmrx_rpc_call(&nest_c, twice, x) + 1;
}

static int to_a(struct svc_b *self, int x)
{
    (void)self;
    return cmrx_rpc_call(&nest_a, echo, x) + 1;
}

static int c_reads(struct svc_b *self, const volatile uint32_t *p)
{
    (void)self;
    return cmrx_rpc_call(&nest_c, read, p);
}

static int c_reads_mine(struct svc_b *self)
{
    (void)self;
    return cmrx_rpc_call(&nest_c, read, &b_shared);
}

CMRX_VTABLE(struct b_vtable, b_vt) = {to_c, to_a, c_reads, c_reads_mine};
CMRX_EXPORT struct svc_b nest_b = {&b_vt};
