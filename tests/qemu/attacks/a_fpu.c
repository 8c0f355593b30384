/* Attack: read another domain's FPU registers (FPU boards).
 *
 * The victim keeps its secret in s0-s31 while it sleeps, calls us with it
 * there, and serves a method that leaves it there. A thread that never
 * used the FPU reads all 32 registers: after a switch from the victim, in
 * a method the victim called, and after returning from the victim's
 * method. */
#include "attack.h"

static volatile unsigned in_call = 0xFFFFFFFFu;

static int log_call(struct lure *self, uint32_t value)
{
    (void)self;
    (void)value;
    if (in_call == 0xFFFFFFFFu) {
        in_call = fp_secret_hits();
    }
    return 0;
}

CMRX_VTABLE(struct lure_vtable, lure_vt) = {log_call};
CMRX_EXPORT struct lure lure = {&lure_vt};

static int attack(void *arg)
{
    (void)arg;
    unsigned worst = 0;
    /* The victim sleeps with the secret in its FPU registers: look right
     * after the switch away from it (its heartbeat wakes every ms). */
    for (int i = 0; i < 50; i++) {
        cmrx_usleep(300);
        unsigned h = fp_secret_hits();
        worst = h > worst ? h : worst;
    }
    if (worst > 0) {
        ATTACK_SUCCEEDED("read %u FPU registers of another process after a switch", worst);
    }
    while (in_call == 0xFFFFFFFFu) {
        cmrx_usleep(1000);
    }
    if (in_call > 0) {
        ATTACK_SUCCEEDED("an RPC method read %u of its caller's FPU registers", in_call);
    }
    __asm volatile("vmov s0, %0" : : "r"(0u)); /* our own FPU use: no excuse to keep stale state */
    cmrx_rpc_call(&victim, fp_work);
    unsigned back = fp_secret_hits();
    if (back > 0) {
        ATTACK_SUCCEEDED("read %u FPU registers a called method left behind", back);
    }
    attack_done(3);
    return 0;
}
CMRX_THREAD(attack, NULL);
