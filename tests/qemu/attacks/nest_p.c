/* P of the S -> P -> S attack: a service that calls back into S. */
#include "nest_iface.h"

static int relay(struct nest_p *self, uint32_t op)
{
    (void)self;
    return cmrx_rpc_call(&nest_s, back, op);
}

CMRX_VTABLE(struct nest_p_vtable, nest_p_vt) = {relay};
CMRX_EXPORT struct nest_p nest_p = {&nest_p_vt};
