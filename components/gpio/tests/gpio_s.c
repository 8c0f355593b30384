/* gpio kept-pin attack, squatter (unprivileged): claims the pin the
 * firmware keeps for gpio_k before gpio_k does, and again once gpio_k has
 * released it: either claim would let it drive what gpio_k drives. It
 * also reads the pin's level while it is free, while gpio_k holds it and
 * once it is free again: a kept input (a door contact, a keypad) is
 * gpio_k's to read, and any level served here leaks it. */
#include "check.h"
#include "gpio.h"

static int squatter_thread(void *arg)
{
    (void)arg;
    CHECK_EQ(gpio_owner(PIN_KEPT), CMRX_ESRCH);
    int first = gpio_claim(PIN_KEPT);
    int read_free = gpio_read(PIN_KEPT);
    cmrx_usleep(10000); /* gpio_k holds it from 5 ms to 20 ms */
    int holder = gpio_owner(PIN_KEPT);
    CHECK(holder >= 0 && holder != cmrx_process_self());
    int read_held = gpio_read(PIN_KEPT);
    cmrx_usleep(15000); /* gpio_k has released it */
    CHECK_EQ(gpio_owner(PIN_KEPT), CMRX_ESRCH);
    int second = gpio_claim(PIN_KEPT);
    int read_freed = gpio_read(PIN_KEPT);
    if (first == CMRX_OK || second == CMRX_OK) {
        cmrx_printf("ATTACK SUCCEEDED: gpio_s claimed gpio_k's pin (%d, %d)\n", first, second);
        return 0;
    }
    if (read_free >= 0 || read_held >= 0 || read_freed >= 0) {
        cmrx_printf("ATTACK SUCCEEDED: gpio_s read gpio_k's pin (free %d, held %d, freed %d)\n",
                    read_free, read_held, read_freed);
        return 0;
    }
    CHECK_EQ(first, CMRX_EPERM);
    CHECK_EQ(second, CMRX_EPERM);
    CHECK_EQ(read_free, CMRX_EPERM);
    CHECK_EQ(read_held, CMRX_EPERM);
    CHECK_EQ(read_freed, CMRX_EPERM);
    cmrx_printf("gpio_s: gpio_k's pin refused to claim and read, held or free\n");
    return 0;
}

CMRX_THREAD(squatter_thread, NULL);
