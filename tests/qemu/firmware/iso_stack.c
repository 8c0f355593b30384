/* A thread may not touch a sibling's stack, even in its own process. */
#include "check.h"

#include <stdint.h>

static volatile uint32_t *volatile target;
static volatile uint32_t got = 0xBEEF;

static int intruder_write(void *arg)
{
    (void)arg;
    target[0] = 0; /* sibling's stack: must fault */
    return 0;
}

static int intruder_read(void *arg)
{
    (void)arg;
    got = target[1]; /* must fault */
    return 0;
}

static int main_thread(void *arg)
{
    (void)arg;
    volatile uint32_t mine[4] = {1, 2, 3, 4}; /* on this thread's stack */
    target = mine;
    CHECK_KILLED(intruder_write);
    CHECK_KILLED(intruder_read);
    CHECK_EQ(got, 0xBEEF);
    for (int i = 0; i < 4; i++) {
        CHECK_EQ(mine[i], i + 1);
    }
    PASS();
    return 0;
}

CMRX_THREAD(main_thread, NULL);
