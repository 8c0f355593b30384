/* gpio restart attack, attacker: polls for gpio_v's pin while gpio_v is
 * killed and waits for its restart (its back-off), then drives it. */
#include <cmrx/time.h>

#include "check.h"
#include "gpio.h"

static int attacker_thread(void *arg)
{
    (void)arg;
    /* 25 ms of the clock, which cover the victim's 10 ms back-off, not a
     * count of sleeps: a sleep may take longer than asked. */
    uint32_t start = cmrx_time_us();
    while (cmrx_time_us() - start < 25000u) {
        cmrx_usleep(1000);
        if (gpio_claim(PIN_B) == CMRX_OK) {
            gpio_write(PIN_B, 1);
            cmrx_printf("ATTACK SUCCEEDED: took a restarting process's pin\n");
            return 0;
        }
    }
    cmrx_printf("gpio_x: never got the pin\n");
    return 0;
}

CMRX_THREAD(attacker_thread, NULL);
