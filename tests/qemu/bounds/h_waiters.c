/* Hostile: 16 threads wait on one word; a 17th notifies them all, again
 * and again. */
#include "bounds.h"

static volatile uint32_t word;

static int waiter(void *arg)
{
    (void)arg;
    for (;;) {
        cmrx_wait(&word, 0, CMRX_FOREVER);
    }
    return 0;
}

static int hostile(void *arg)
{
    (void)arg;
    for (int i = 0; i < 16; i++) {
        cmrx_thread_create(waiter, NULL, 19);
    }
    for (;;) {
        cmrx_notify(&word, 16);
    }
    return 0;
}
CMRX_THREAD(hostile, NULL);
