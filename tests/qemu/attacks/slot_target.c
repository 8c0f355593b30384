/* An updatable process for the update attacks: a service that answers 42
 * (SLOT_SVC names its object, one per process of this source). */
#include "slot_target.h"

static int ping(struct slot_svc *self)
{
    (void)self;
    return 42;
}

CMRX_VTABLE(struct slot_svc_vtable, slot_vt) = {ping};
CMRX_SERVICE struct slot_svc SLOT_SVC = {&slot_vt};
