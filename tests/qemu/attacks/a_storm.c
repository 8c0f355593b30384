/* Attack: a restart storm. A process at priority 5 with the restart
 * policy crashes as soon as it starts; restarted at once each time, it
 * keeps the CPU from everything below priority 5. The kernel must back
 * off (and give up after a limit). */
#include "attack.h"

static int crash(void *arg)
{
    (void)arg;
    attack_done((unsigned)cmrx_process_restarts((unsigned)cmrx_process_self()) + 1u);
    __asm volatile("udf #3");
    return 0;
}
CMRX_THREAD(crash, NULL);
