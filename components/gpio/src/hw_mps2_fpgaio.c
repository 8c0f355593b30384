/* Arm MPS2 FPGA I/O registers (the "FPGA system control and I/O" block of
 * the MPS2 FPGA images, application notes AN385/AN386/AN500/AN505), at
 * GPIO_BASE: LED0 (read/write, bits 1:0 the two user LEDs) and BUTTON
 * (read-only, bits 1:0 the two user push buttons). Pins 0 and 1 are the
 * LEDs (outputs), pins 2 and 3 the buttons (inputs). QEMU models the LEDs;
 * its buttons always read 0. */
#include "gpio.h"
#include "gpio_hw.h"

#define FPGAIO(off) (*(volatile uint32_t *)(GPIO_BASE + (off)))
#define LED0        FPGAIO(0x00u)
#define BUTTON      FPGAIO(0x08u)

#define LEDS 2u

uint32_t gpio_hw_modes(unsigned pin)
{
    return pin < LEDS ? 1u << GPIO_OUTPUT : 1u << GPIO_INPUT;
}

void gpio_hw_configure(unsigned pin, unsigned mode)
{
    (void)pin; /* each pin has the one mode it supports */
    (void)mode;
}

void gpio_hw_write(unsigned pin, unsigned level)
{
    uint32_t leds = LED0 & ~(1u << pin);
    LED0 = leds | (level << pin);
}

unsigned gpio_hw_output(unsigned pin)
{
    return (LED0 >> pin) & 1u;
}

unsigned gpio_hw_read(unsigned pin)
{
    if (pin < LEDS) {
        return (LED0 >> pin) & 1u;
    }
    return (BUTTON >> (pin - LEDS)) & 1u;
}
