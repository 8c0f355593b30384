/* Process C of the nested-RPC test: the innermost service. */
#include "nest.h"

static int twice(struct svc_c *self, int x)
{
    (void)self;
    return 2 * x;
}

static int read(struct svc_c *self, const volatile uint32_t *p)
{
    (void)self;
    return (int)*p;
}

CMRX_VTABLE(struct c_vtable, c_vt) = {twice, read};
CMRX_EXPORT struct svc_c nest_c = {&c_vt};
