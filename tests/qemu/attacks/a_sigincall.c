/* Attack: have our signal handler run while our thread is inside the
 * victim's method.
 *
 * Our thread calls the victim's stack_work() in a loop with a 1 ms timer
 * armed, so most timer signals fall due while it runs the victim's code
 * in the victim's memory map. A kernel that delivered them there would
 * start our handler with that map: it would read the victim's secret.
 * Signals wait until the thread is back home. */
#include "attack.h"

#include <cmrx/signal.h>

static int home;
static volatile unsigned handled, inside, hits;

static void on_alarm(uint32_t signals)
{
    (void)signals;
    handled++;
    if (cmrx_process_self() != home) {
        inside++;
        hits += secret_hits(victim_secret, SECRET_WORDS);
    }
}

static int attack(void *arg)
{
    (void)arg;
    home = cmrx_process_self();
    int rh = cmrx_signal_handler(on_alarm);
    int rt = cmrx_setitimer(1000);
    uint32_t start = cmrx_time_us();
    unsigned calls = 0;
    while (cmrx_time_us() - start < 30000u) {
        cmrx_rpc_call(&victim, stack_work);
        calls++;
    }
    cmrx_setitimer(0);
    cmrx_printf("attack_sigincall: handler %d, timer %d, %u calls; %u signals handled, "
                "%u inside the victim's method\n",
                rh, rt, calls, handled, inside);
    if (inside != 0 || hits != 0) {
        ATTACK_SUCCEEDED("our handler ran in the victim's memory map (%u secret words)", hits);
    }
    attack_done(1);
    return 0;
}
CMRX_THREAD(attack, NULL);
