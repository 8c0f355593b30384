/* Attack: a callee names its caller's threads.
 *
 * The victim calls our `lure` service. During the call the running thread
 * is the victim's and cmrx_thread_self() says so; if the kernel took the
 * thread's home process (the victim) for the process a thread call acts
 * for, the method could lower that thread's priority for good, signal it,
 * or join it, and name every other thread of the victim the same way. The
 * thread calls act for the running code's process: the method sees only
 * our threads. */
#include "attack.h"

#include <cmrx/signal.h>

static volatile int tried;
static int r_set, r_get, r_sig, r_join;
static unsigned foreign;
static cmrx_tid_t ours;

static int log_call(struct lure *self, uint32_t value)
{
    (void)self;
    (void)value;
    if (tried) {
        return 0;
    }
    cmrx_tid_t caller = cmrx_thread_self(); /* the victim's client thread */
    r_set = cmrx_thread_set_priority(caller, 30);
    r_get = cmrx_thread_get_priority(caller);
    r_sig = cmrx_signal_send(caller, CMRX_SIGUSR1);
    r_join = cmrx_thread_join(caller, NULL);
    /* Every slot's first thread (the victim's were started once). */
    for (unsigned slot = 0; slot < 32; slot++) {
        cmrx_tid_t tid = (cmrx_tid_t)(slot | (1u << 8));
        if (tid != ours && cmrx_thread_get_priority(tid) >= 0) {
            foreign++;
        }
    }
    tried = 1;
    return 0;
}

CMRX_VTABLE(struct lure_vtable, lure_vt) = {log_call};
CMRX_EXPORT struct lure lure = {&lure_vt};

static int attack(void *arg)
{
    (void)arg;
    ours = cmrx_thread_self();
    while (!tried) {
        cmrx_usleep(1000);
    }
    cmrx_printf("attack_callertid: the caller's thread: set priority %d, get priority %d, "
                "signal %d, join %d; other threads named %u\n",
                r_set, r_get, r_sig, r_join, foreign);
    if (r_set >= 0 || r_get >= 0 || r_sig >= 0 || r_join >= 0 || foreign != 0) {
        ATTACK_SUCCEEDED("a method named its caller's threads");
    }
    attack_done(5);
    return 0;
}
CMRX_THREAD(attack, NULL);
