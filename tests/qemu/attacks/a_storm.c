/* Attack: a restart storm. A process at priority 5 with the restart
 * policy crashes as soon as it starts; restarted at once each time, it
 * keeps the CPU from everything below priority 5. The kernel must back
 * off, and give up after a limit. A second thread of the process, at
 * priority 25, reports to the judge when it gets to run. */
#include "attack.h"

static int crash(void *arg)
{
    (void)arg;
    __asm volatile("udf #3");
    return 0;
}
CMRX_THREAD(crash, NULL);

static int report(void *arg)
{
    (void)arg;
    attack_done(1);
    for (;;) {
        cmrx_usleep(100000);
    }
    return 0;
}
CMRX_THREAD_PRIO(report, NULL, 25);
