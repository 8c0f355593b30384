/* gpio kept-pin test, keeper (SYSTEM only to end the test): the firmware
 * keeps PIN_KEPT for it (gpio's `owners`). It claims the pin after gpio_s
 * has tried to take and read it first, holds it while gpio_s reads it,
 * then lets it go; gpio_s must get neither then either. The keeper reads
 * its pin held and free. */
#include "check.h"
#include "gpio.h"

static int keeper_thread(void *arg)
{
    (void)arg;
    cmrx_usleep(5000); /* gpio_s, at a higher priority, has tried by now */
    CHECK_EQ(gpio_claim(PIN_KEPT), CMRX_OK);
    CHECK_EQ(gpio_owner(PIN_KEPT), cmrx_process_self());
    int level = gpio_read(PIN_KEPT);
    CHECK(level == 0 || level == 1);
    cmrx_usleep(15000); /* gpio_s reads it at 10 ms */
    CHECK_EQ(gpio_release(PIN_KEPT), CMRX_OK);
    level = gpio_read(PIN_KEPT);
    CHECK(level == 0 || level == 1);
    cmrx_printf("gpio_k: claimed and read its kept pin, then released it\n");
    cmrx_usleep(40000); /* gpio_s has made its second claim and read */
    PASS();
    return 0;
}

CMRX_THREAD(keeper_thread, NULL);
