/* A buggy process: it reads another process's memory. The MPU stops it,
 * the kernel reports the fault and kills the thread; nobody else notices. */
#include <cmrx/cmrx.h>

#include <stdint.h>

extern uint32_t sensor_samples[8]; /* belongs to the sensor process */

static int snoop(void *arg)
{
    (void)arg;
    cmrx_usleep(120000);
    cmrx_printf("rogue: peeking at the sensor's samples at %p...\n", (void *)sensor_samples);
    return (int)sensor_samples[0];
}

CMRX_THREAD(snoop, NULL);
