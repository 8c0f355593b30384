/* gpio test, second client: cannot claim, drive, reconfigure or release
 * gpio_a's pin, can read it, claims and drives its own (again after gpio_a
 * restarts it); then waits to be killed by gpio_a. */
#include "check.h"
#include "gpio.h"

static int peer_thread(void *arg)
{
    (void)arg;
    cmrx_usleep(2000); /* gpio_a holds PIN_A and has made its bad calls */
    CHECK_EQ(gpio_claim(PIN_A), CMRX_EBUSY);
    CHECK_EQ(gpio_write(PIN_A, 0), CMRX_EPERM);
    CHECK_EQ(gpio_toggle(PIN_A), CMRX_EPERM);
    CHECK_EQ(gpio_configure(PIN_A, GPIO_OUTPUT), CMRX_EPERM);
    CHECK_EQ(gpio_release(PIN_A), CMRX_EPERM);
    CHECK(gpio_read(PIN_A) >= 0);
    CHECK_EQ(gpio_output(PIN_B, 1), CMRX_OK);
    cmrx_printf("gpio_b: refused gpio_a's pin, drives its own (start %d)\n",
                cmrx_process_restarts((unsigned)cmrx_process_self()));
    for (;;) {
        cmrx_usleep(1000);
    }
    return 0;
}

CMRX_THREAD(peer_thread, NULL);
