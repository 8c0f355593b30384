/* Attack: hang the kernel with a timer period that wraps.
 *
 * The longest period a thread may ask for must not turn into a period of
 * zero ticks, which the kernel would re-arm forever in its tick handler. */
#include "attack.h"

static int attack(void *arg)
{
    (void)arg;
    int r = cmrx_setitimer(0xFFFFFFFFu);
    cmrx_printf("attack_itimer: setitimer(0xFFFFFFFF) = %d\n", r);
    r = cmrx_setitimer(0xFFFFFC19u); /* wraps to 0 when rounded up to whole ms */
    cmrx_printf("attack_itimer: setitimer(0xFFFFFC19) = %d\n", r);
    cmrx_usleep(5000);
    cmrx_setitimer(0);
    attack_done(2);
    return 0;
}
CMRX_THREAD(attack, NULL);
