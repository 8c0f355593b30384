/* Host unit tests of ${name}'s timer driver, run by `cmrx test` on this
 * machine. Named after the process (timer_...), the test gets the macros
 * the firmware gives that process: the board's CMRX_PERIPH_TIMER0_* from
 * its bsp.yaml. The hardware layer stays out; the test stands in for it
 * (timer_hw_start, timer_hw_ack), so no register is touched here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "timer.c"

static uint32_t started_period_us;
static unsigned acks;

void timer_hw_start(uint32_t period_us)
{
    started_period_us = period_us;
}

void timer_hw_ack(void)
{
    acks++;
}

static void the_service_reports_the_periods_counted(void **state)
{
    (void)state;
    periods = 0;
    assert_int_equal(cmrx_rpc_call(&ticker_service, periods), 0);
    periods = 41;
    assert_int_equal(cmrx_rpc_call(&ticker_service, periods), 41);
}

static void the_driver_uses_the_boards_timer_and_stops_on_a_failed_wait(void **state)
{
    (void)state;
    /* The board's timer0, as bsp.yaml describes it, reached the code. */
    assert_true(TIMER_BASE != 0);
    assert_true(TIMER_CLOCK_HZ >= 1000000u);
    /* On the host no interrupt comes: the wait ends with an error, which
     * the driver reports and returns, without acknowledging anything. */
    acks = 0;
    assert_int_equal(timer_main(NULL), CMRX_ETIMEDOUT);
    assert_int_equal(started_period_us, PERIOD_US);
    assert_int_equal(acks, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_service_reports_the_periods_counted),
        cmocka_unit_test(the_driver_uses_the_boards_timer_and_stops_on_a_failed_wait),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
