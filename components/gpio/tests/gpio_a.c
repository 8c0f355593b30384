/* gpio test, main client: claims and drives a pin, reads it back from the
 * hardware where QEMU models it (GPIO_TEST_READBACK), gets the documented
 * errors for bad calls; the pin of a process it restarts stays that
 * process's, the pin of a process it killed is free.
 * gpio_b is process 1. */
#include "check.h"
#include "gpio.h"

#define PEER 1

static void bad_calls(void)
{
    CHECK_EQ(gpio_claim(GPIO_PINS), GPIO_ENOPIN);
    CHECK_EQ(gpio_claim(0xFFFFFFFFu), GPIO_ENOPIN);
    CHECK_EQ(gpio_read(GPIO_PINS), GPIO_ENOPIN);
    CHECK_EQ(gpio_write(GPIO_PINS + 7u, 1), GPIO_ENOPIN);
    CHECK_EQ(gpio_toggle(GPIO_PINS), GPIO_ENOPIN);
    CHECK_EQ(gpio_owner(GPIO_PINS), GPIO_ENOPIN);
    CHECK_EQ(gpio_configure(PIN_A, 99), CMRX_EINVAL);
    CHECK_EQ(gpio_configure(PIN_A, GPIO_MODES), CMRX_EINVAL);
#ifdef PIN_INPUT_ONLY
    CHECK_EQ(gpio_configure(PIN_A, GPIO_INPUT), GPIO_ENOTSUP); /* an LED */
    CHECK_EQ(gpio_claim(PIN_INPUT_ONLY), CMRX_OK);
    CHECK_EQ(gpio_configure(PIN_INPUT_ONLY, GPIO_OUTPUT), GPIO_ENOTSUP);
    CHECK_EQ(gpio_configure(PIN_INPUT_ONLY, GPIO_INPUT_PULLUP), GPIO_ENOTSUP);
    CHECK_EQ(gpio_configure(PIN_INPUT_ONLY, GPIO_INPUT), CMRX_OK);
    CHECK_EQ(gpio_write(PIN_INPUT_ONLY, 1), GPIO_ENOTSUP);
    CHECK_EQ(gpio_toggle(PIN_INPUT_ONLY), GPIO_ENOTSUP);
    CHECK_EQ(gpio_read(PIN_INPUT_ONLY), 0); /* QEMU: nobody presses it */
    CHECK_EQ(gpio_release(PIN_INPUT_ONLY), CMRX_OK);
#endif
#ifdef PIN_RESERVED
    CHECK_EQ(gpio_claim(PIN_RESERVED), GPIO_ERESERVED);
    CHECK_EQ(gpio_write(PIN_RESERVED, 0), CMRX_EPERM);
    CHECK_EQ(gpio_configure(PIN_A, GPIO_INPUT_PULLUP), CMRX_OK);
    CHECK_EQ(gpio_configure(PIN_A, GPIO_OUTPUT_OD), CMRX_OK);
    CHECK_EQ(gpio_configure(PIN_A, GPIO_OUTPUT), CMRX_OK);
#endif
    CHECK_EQ(gpio_input(PIN_A, GPIO_OUTPUT), CMRX_EINVAL);
    cmrx_printf("gpio_a: bad calls refused\n");
}

static int main_thread(void *arg)
{
    (void)arg;
    CHECK_EQ(gpio_owner(PIN_A), CMRX_ESRCH);
    CHECK_EQ(gpio_write(PIN_A, 1), CMRX_EPERM); /* not claimed */
    CHECK_EQ(gpio_configure(PIN_A, GPIO_OUTPUT), CMRX_EPERM);
    CHECK_EQ(gpio_output(PIN_A, 1), CMRX_OK);
    CHECK_EQ(gpio_claim(PIN_A), CMRX_OK); /* again: still ours */
    CHECK_EQ(gpio_owner(PIN_A), cmrx_process_self());
#if GPIO_TEST_READBACK
    CHECK_EQ(gpio_read(PIN_A), 1);
    CHECK_EQ(gpio_toggle(PIN_A), 0);
    CHECK_EQ(gpio_read(PIN_A), 0);
    CHECK_EQ(gpio_toggle(PIN_A), 1);
    CHECK_EQ(gpio_write(PIN_A, 0), CMRX_OK);
    CHECK_EQ(gpio_read(PIN_A), 0);
    CHECK_EQ(gpio_write(PIN_A, 5), CMRX_OK); /* any non-zero value is high */
    CHECK_EQ(gpio_read(PIN_A), 1);
#else
    CHECK(gpio_toggle(PIN_A) >= 0);
    CHECK_EQ(gpio_write(PIN_A, 1), CMRX_OK);
    CHECK(gpio_read(PIN_A) >= 0);
#endif
    bad_calls();

    cmrx_usleep(5000); /* gpio_b tries our pin and claims its own */
    CHECK_EQ(gpio_owner(PIN_B), PEER);
    CHECK_EQ(gpio_claim(PIN_B), CMRX_EBUSY);
    CHECK_EQ(gpio_write(PIN_B, 0), CMRX_EPERM);
#if GPIO_TEST_READBACK
    CHECK_EQ(gpio_read(PIN_B), 1);
    CHECK_EQ(gpio_read(PIN_A), 1); /* gpio_b could not change it */
#endif
    /* A restarted process keeps its pins: gpio_b claims its pin again. */
    CHECK_EQ(cmrx_process_control(PEER, CMRX_PROC_RESTART), CMRX_OK);
    CHECK_EQ(gpio_owner(PIN_B), PEER);
    cmrx_usleep(5000);
    CHECK_EQ(gpio_owner(PIN_B), PEER);
    CHECK_EQ(gpio_claim(PIN_B), CMRX_EBUSY);
    /* A killed process's pins are free to claim. */
    CHECK_EQ(cmrx_process_control(PEER, CMRX_PROC_KILL), CMRX_OK);
    CHECK_EQ(gpio_claim(PIN_B), CMRX_OK);
    CHECK_EQ(gpio_owner(PIN_B), cmrx_process_self());
    CHECK_EQ(gpio_write(PIN_B, 0), CMRX_OK);
#if GPIO_TEST_READBACK
    CHECK_EQ(gpio_read(PIN_B), 0);
#endif
    CHECK_EQ(gpio_release(PIN_A), CMRX_OK);
    CHECK_EQ(gpio_release(PIN_B), CMRX_OK);
    CHECK_EQ(gpio_owner(PIN_A), CMRX_ESRCH);
    CHECK_EQ(gpio_release(PIN_A), CMRX_EPERM);
    CHECK_EQ(gpio_toggle(PIN_A), CMRX_EPERM);
#if GPIO_TEST_READBACK
    CHECK_EQ(gpio_read(PIN_A), 1); /* released, as it was left */
#endif
    cmrx_printf("gpio_a: took over the killed process's pin\n");
    PASS();
    return 0;
}

CMRX_THREAD(main_thread, NULL);
