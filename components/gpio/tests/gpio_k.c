/* gpio kept-pin test, keeper (SYSTEM only to end the test): the firmware
 * keeps PIN_KEPT for it (gpio's `owners`). It claims the pin after gpio_s
 * has tried to take it first, then lets it go; gpio_s must not get it
 * then either. */
#include "check.h"
#include "gpio.h"

static int keeper_thread(void *arg)
{
    (void)arg;
    cmrx_usleep(5000); /* gpio_s, at a higher priority, has tried by now */
    CHECK_EQ(gpio_claim(PIN_KEPT), CMRX_OK);
    CHECK_EQ(gpio_owner(PIN_KEPT), cmrx_process_self());
    CHECK_EQ(gpio_release(PIN_KEPT), CMRX_OK);
    cmrx_printf("gpio_k: claimed its kept pin, then released it\n");
    cmrx_usleep(40000); /* gpio_s has made its second claim */
    PASS();
    return 0;
}

CMRX_THREAD(keeper_thread, NULL);
