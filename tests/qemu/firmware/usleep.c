/* usleep() sleeps at least as long as asked and less than one tick more. */
#include "check.h"

#define TICK_US 1000u
/* Time from the waking tick to the thread reading the clock again. */
#define WAKE_SLACK_US 50u

static volatile int stop;

static int busy(void *arg)
{
    (void)arg;
    while (!stop) {
    }
    return 0;
}

static int main_thread(void *arg)
{
    (void)arg;
    /* The clock runs forward from its very first read, just after the
     * kernel started the tick (it once read a whole tick, then 0). */
    uint32_t first = cmrx_time_us();
    uint32_t next = cmrx_time_us();
    CHECK(next - first < 0x80000000u);
    CHECK(first < TICK_US / 2u);
    static const uint32_t asks[] = {1, 250, 999, 1000, 1001, 1500, 2500, 7777};
    /* A busy lower-priority thread: waking must preempt it. */
    cmrx_tid_t b = cmrx_thread_create(busy, NULL, 20);
    CHECK(b >= 0);
    for (unsigned i = 0; i < sizeof(asks) / sizeof(asks[0]); i++) {
        /* Start off a tick boundary too: spin a third of a tick first. */
        uint32_t s = cmrx_time_us();
        while (cmrx_time_us() - s < 333u) {
        }
        for (unsigned rep = 0; rep < 2; rep++) {
            uint32_t t0 = cmrx_time_us();
            CHECK_EQ(cmrx_usleep(asks[i]), CMRX_OK);
            uint32_t dt = cmrx_time_us() - t0;
            if (rep == 0) {
                cmrx_printf("usleep(%lu) took %lu us\n", (unsigned long)asks[i], (unsigned long)dt);
            }
            CHECK(dt >= asks[i]);
            CHECK(dt <= asks[i] + TICK_US + WAKE_SLACK_US);
        }
    }
    /* The clock is monotonic across ticks. */
    uint32_t prev = cmrx_time_us();
    for (int i = 0; i < 2000; i++) {
        uint32_t now = cmrx_time_us();
        CHECK(now - prev < 0x80000000u);
        prev = now;
    }
    stop = 1;
    CHECK_EQ(cmrx_thread_join(b, NULL), CMRX_OK);
    PASS();
    return 0;
}

CMRX_THREAD(main_thread, NULL);
