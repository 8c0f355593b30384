/* The vault: a service that checks nothing about its callers, because it
 * declares the one process it serves (CALLERS vault_owner) and the kernel
 * refuses every other caller before a method runs. */
#include "attack.h"

static volatile uint32_t content;

static int put(struct vault *self, uint32_t value)
{
    (void)self;
    content = value;
    return 0;
}

static int get(struct vault *self)
{
    (void)self;
    return (int)content;
}

CMRX_VTABLE(struct vault_vtable, vault_vt) = {put, get};
CMRX_EXPORT struct vault vault = {&vault_vt};
