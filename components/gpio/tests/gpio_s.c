/* gpio kept-pin attack, squatter (unprivileged): claims the pin the
 * firmware keeps for gpio_k before gpio_k does, and again once gpio_k has
 * released it. Either claim would let it drive what gpio_k drives. */
#include "check.h"
#include "gpio.h"

static int squatter_thread(void *arg)
{
    (void)arg;
    int first = gpio_claim(PIN_KEPT);
    cmrx_usleep(20000); /* gpio_k has claimed and released it */
    int second = gpio_claim(PIN_KEPT);
    if (first == CMRX_OK || second == CMRX_OK) {
        cmrx_printf("ATTACK SUCCEEDED: gpio_s claimed gpio_k's pin (%d, %d)\n", first, second);
        return 0;
    }
    CHECK_EQ(first, CMRX_EPERM);
    CHECK_EQ(second, CMRX_EPERM);
    cmrx_printf("gpio_s: gpio_k's pin refused, held or free\n");
    return 0;
}

CMRX_THREAD(squatter_thread, NULL);
