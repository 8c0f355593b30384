/* Process B of the isolation test: a heartbeat that must keep beating
 * while its neighbour A faults trying to touch B's memory. */
#include "check.h"

#include <stdint.h>

CMRX_EXPORT volatile uint32_t iso_b_heartbeat = 1; /* .data of process iso_b */

static int beat(void *arg)
{
    (void)arg;
    for (;;) {
        cmrx_usleep(1000);
        iso_b_heartbeat++;
        if (iso_b_heartbeat % 10 == 0) {
            cmrx_printf("iso_b heartbeat %lu\n", (unsigned long)iso_b_heartbeat);
        }
    }
    return 0;
}

CMRX_THREAD(beat, NULL);
