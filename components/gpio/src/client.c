/* gpio client library: the usual sequences in one call each. */
#include "gpio.h"

int gpio_output(uint32_t pin, uint32_t level)
{
    int rc = gpio_claim(pin);
    if (rc == CMRX_OK) {
        rc = gpio_write(pin, level); /* the level first: no glitch when it becomes an output */
    }
    if (rc == CMRX_OK) {
        rc = gpio_configure(pin, GPIO_OUTPUT);
    }
    return rc;
}

int gpio_input(uint32_t pin, uint32_t mode)
{
    if (mode > GPIO_INPUT_PULLDOWN) {
        return CMRX_EINVAL;
    }
    int rc = gpio_claim(pin);
    if (rc == CMRX_OK) {
        rc = gpio_configure(pin, mode);
    }
    return rc;
}
