/* gpio restart attack, victim: drives its pin, then faults twice in a row
 * (restart policy): the second quick fault makes the kernel wait 10 ms
 * before restarting it, and the pin must stay its own through that wait.
 * SYSTEM only to end the test. */
#include "check.h"
#include "gpio.h"

static int victim_thread(void *arg)
{
    (void)arg;
    int start = cmrx_process_restarts((unsigned)cmrx_process_self());
    if (start == 0) {
        CHECK_EQ(gpio_output(PIN_B, 1), CMRX_OK);
        cmrx_usleep(2000); /* gpio_x is polling */
    }
    if (start < 2) {
        CHECK_EQ(gpio_claim(PIN_B), CMRX_OK); /* kept across the restart */
        __builtin_trap();                     /* a fault: restarted, 10 ms later the second time */
    }
    CHECK_EQ(gpio_owner(PIN_B), cmrx_process_self());
    CHECK_EQ(gpio_claim(PIN_B), CMRX_OK);
    CHECK_EQ(gpio_write(PIN_B, 0), CMRX_OK);
    cmrx_printf("gpio_v: kept its pin through its restarts\n");
    cmrx_usleep(100000); /* gpio_x has given up well before */
    PASS();
    return 0;
}

CMRX_THREAD(victim_thread, NULL);
