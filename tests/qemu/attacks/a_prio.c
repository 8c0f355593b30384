/* Attack: starve everyone from a low-priority process.
 *
 * A process declared at priority 20 creates a thread at priority 0 that
 * never blocks, and raises another of its threads to priority 0. Without
 * a ceiling, nothing else runs again, the SYSTEM judge included. */
#include "attack.h"

static int spin(void *arg)
{
    (void)arg;
    for (volatile uint32_t i = 0; i < 20000000u; i++) {
    }
    return 0;
}

static int attack(void *arg)
{
    (void)arg;
    int made = cmrx_thread_create(spin, NULL, 0);
    cmrx_printf("attack_prio: a priority-0 thread: %d\n", made);
    int raised = cmrx_thread_set_priority(cmrx_thread_self(), 1);
    cmrx_printf("attack_prio: raising itself to priority 1: %d\n", raised);
    if (made >= 0) {
        cmrx_thread_join(made, NULL);
    }
    attack_done(2);
    return 0;
}
CMRX_THREAD(attack, NULL);
