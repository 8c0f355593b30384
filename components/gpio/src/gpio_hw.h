/* What the driver needs from a GPIO block: one backend file per block,
 * chosen by component.cmake, which also sets GPIO_PINS (pins are 0 ..
 * GPIO_PINS - 1). The driver checks pin numbers and ownership before it
 * calls these, and calls them one at a time. */
#ifndef GPIO_HW_H
#define GPIO_HW_H

#include <stdbool.h>
#include <stdint.h>

/** Bit m set: the pin supports mode m (GPIO_INPUT...). 0: the board keeps it. */
uint32_t gpio_hw_modes(unsigned pin);

/** Set the pin's mode, one it supports. */
void gpio_hw_configure(unsigned pin, unsigned mode);

/** Set the pin's output level (0 or 1). */
void gpio_hw_write(unsigned pin, unsigned level);

/** The pin's output level as last set (0 or 1). */
unsigned gpio_hw_output(unsigned pin);

/** The pin's input level (0 or 1). */
unsigned gpio_hw_read(unsigned pin);

#endif
