/* Hostile: threads that fault as fast as they are made (each fault is
 * reported on the console). */
#include "bounds.h"

static int crash(void *arg)
{
    (void)arg;
    __asm volatile("udf #9");
    return 0;
}

static int hostile(void *arg)
{
    (void)arg;
    for (;;) {
        cmrx_tid_t t = cmrx_thread_create(crash, NULL, 20);
        cmrx_thread_join(t, NULL);
    }
    return 0;
}
CMRX_THREAD(hostile, NULL);
