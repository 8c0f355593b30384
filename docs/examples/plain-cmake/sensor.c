/* The sensor process: a sampling thread and a reporting thread sharing the
 * process's private memory. Nothing outside this process can touch it. */
#include <cmrx/cmrx.h>

#include <stdint.h>

/* Exported so that the rogue process links against it: exporting makes the
 * name visible, never the memory, which stays private to this process. */
CMRX_EXPORT uint32_t sensor_samples[8];
static volatile unsigned taken;

static int sampler(void *arg)
{
    (void)arg;
    uint32_t x = 1000;
    for (;;) {
        x = x * 1103515245u + 12345u; /* a noisy signal */
        sensor_samples[taken % 8] = 2000u + (x >> 24);
        taken++;
        cmrx_usleep(10000);
    }
    return 0;
}

static int reporter(void *arg)
{
    (void)arg;
    cmrx_printf("sensor: running in its own MPU-protected memory\n");
    cmrx_thread_create(sampler, NULL, 6);
    for (int round = 1; round <= 5; round++) {
        cmrx_usleep(50000);
        unsigned n = taken < 8 ? taken : 8;
        uint32_t sum = 0;
        for (unsigned i = 0; i < n; i++) {
            sum += sensor_samples[i];
        }
        cmrx_printf("sensor: round %d, %u samples, average of the last %u: %lu\n", round, taken, n,
                    (unsigned long)(n ? sum / n : 0));
    }
    cmrx_printf("sensor: still alive after the rogue process was stopped. Bye.\n");
    cmrx_shutdown(0);
    return 0;
}

CMRX_THREAD(reporter, NULL);
