/* STM32F4 GPIO (RM0090, section 8.4): ports A..I of 16 pins at GPIO_BASE
 * + 0x400 each; pin n of port p is pin p * 16 + n. Their clocks are
 * switched on in RCC_AHB1ENR (RM0090 7.3.10) when a port is first used,
 * so GPIO_BASE's grant must cover the RCC at 0x40023800 too. */
#include "gpio.h"
#include "gpio_hw.h"

#define REG(addr) (*(volatile uint32_t *)(addr))
#define PORT(pin) (GPIO_BASE + 0x400u * ((pin) / 16u))
#define MODER(p)  REG(PORT(p) + 0x00u) /* 2 bits a pin: 00 input, 01 output */
#define OTYPER(p) REG(PORT(p) + 0x04u) /* 1 bit: 0 push-pull, 1 open-drain */
#define PUPDR(p)  REG(PORT(p) + 0x0Cu) /* 2 bits: 00 none, 01 pull-up, 10 pull-down */
#define IDR(p)    REG(PORT(p) + 0x10u)
#define ODR(p)    REG(PORT(p) + 0x14u)
#define BSRR(p)   REG(PORT(p) + 0x18u) /* bits 15:0 set, 31:16 reset */

#define RCC_AHB1ENR REG(0x40023830u) /* bit p: GPIO port p clock */

#define MODER_INPUT  0u
#define MODER_OUTPUT 1u
#define PUPD_NONE    0u
#define PUPD_UP      1u
#define PUPD_DOWN    2u

#define BIT(pin) (1u << ((pin) % 16u))

static uint32_t clocked; /* ports whose clock is on */

static void port_on(unsigned pin)
{
    uint32_t port = 1u << (pin / 16u);
    if ((clocked & port) == 0) {
        RCC_AHB1ENR |= port;
        (void)RCC_AHB1ENR; /* a read-back: the port needs two cycles after its clock (ES0182) */
        clocked |= port;
    }
}

uint32_t gpio_hw_modes(unsigned pin)
{
    (void)pin;
    return (1u << GPIO_MODES) - 1u;
}

static void field2(volatile uint32_t *reg, unsigned pin, uint32_t value)
{
    unsigned shift = 2u * (pin % 16u);
    *reg = (*reg & ~(3u << shift)) | (value << shift);
}

void gpio_hw_configure(unsigned pin, unsigned mode)
{
    port_on(pin);
    uint32_t pupd = mode == GPIO_INPUT_PULLUP     ? PUPD_UP
                    : mode == GPIO_INPUT_PULLDOWN ? PUPD_DOWN
                                                  : PUPD_NONE;
    bool out = mode == GPIO_OUTPUT || mode == GPIO_OUTPUT_OD;
    if (mode == GPIO_OUTPUT_OD) {
        OTYPER(pin) |= BIT(pin);
    } else {
        OTYPER(pin) &= ~BIT(pin);
    }
    field2(&PUPDR(pin), pin, pupd);
    field2(&MODER(pin), pin, out ? MODER_OUTPUT : MODER_INPUT);
}

void gpio_hw_write(unsigned pin, unsigned level)
{
    port_on(pin);
    BSRR(pin) = level ? BIT(pin) : BIT(pin) << 16;
}

unsigned gpio_hw_output(unsigned pin)
{
    port_on(pin);
    return (ODR(pin) & BIT(pin)) != 0;
}

unsigned gpio_hw_read(unsigned pin)
{
    port_on(pin);
    return (IDR(pin) & BIT(pin)) != 0;
}
