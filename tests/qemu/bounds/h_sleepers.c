/* Hostile: 16 threads sleeping 1 to 16 ticks in a loop, so the due queue
 * of their priority always holds up to 16 buckets of distinct ticks, and
 * every tick queues and takes out some: the deadline tree's insertions,
 * rotations and removals, not just a bucket's ring (bound.timers). */
#include "bounds.h"

static int sleeper(void *arg)
{
    uint32_t us = (uint32_t)(uintptr_t)arg;
    for (;;) {
        cmrx_usleep(us);
    }
    return 0;
}

static int hostile(void *arg)
{
    (void)arg;
    for (uintptr_t i = 1; i < 16u; i++) {
        cmrx_thread_create(sleeper, (void *)(i * CMRX_TICK_US), 20);
    }
    return sleeper((void *)(uintptr_t)(16u * CMRX_TICK_US));
}
CMRX_THREAD(hostile, NULL);
