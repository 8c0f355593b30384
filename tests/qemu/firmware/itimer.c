/* Periodic timer: SIGALRM every period, within a tick, without drift;
 * stopping it stops the signals. */
#include "check.h"

#define PERIOD_US 5000u

static int main_thread(void *arg)
{
    (void)arg;
    CHECK_EQ(cmrx_setitimer(PERIOD_US), CMRX_OK);
    uint32_t start = cmrx_time_us();
    uint32_t prev = start;
    for (int i = 1; i <= 8; i++) {
        CHECK_EQ(cmrx_signal_wait(CMRX_SIGALRM, 20000), (int)CMRX_SIGALRM);
        uint32_t now = cmrx_time_us();
        uint32_t period = now - prev;
        prev = now;
        CHECK(period + 1000u >= PERIOD_US && period <= PERIOD_US + 1000u);
        /* No drift: the i-th expiry is i periods after the start, give or
         * take the tick the timer was armed in. */
        CHECK(now - start + 1000u >= (uint32_t)i * PERIOD_US &&
              now - start <= (uint32_t)i * PERIOD_US + 1000u);
    }
    CHECK_EQ(cmrx_setitimer(0), CMRX_OK);
    CHECK_EQ(cmrx_signal_wait(CMRX_SIGALRM, 12000), CMRX_ETIMEDOUT);
    PASS();
    return 0;
}

CMRX_THREAD(main_thread, NULL);
