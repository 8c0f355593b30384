/* nRF52 GPIO (nRF52840 Product Specification v1.7, section 6.9): port P0
 * at GPIO_BASE, P1 at GPIO_BASE + 0x300; pin n of port p is pin p * 32 + n
 * (P1.02 = 34). Each pin has its own configuration register, PIN_CNF. */
#include "gpio.h"
#include "gpio_hw.h"

#define REG(addr)  (*(volatile uint32_t *)(addr))
#define PORT(pin)  (GPIO_BASE + 0x300u * ((pin) / 32u))
#define OUT(p)     REG(PORT(p) + 0x504u)
#define OUTSET(p)  REG(PORT(p) + 0x508u)
#define OUTCLR(p)  REG(PORT(p) + 0x50Cu)
#define IN(p)      REG(PORT(p) + 0x510u)
#define PIN_CNF(p) REG(PORT(p) + 0x700u + 4u * ((p) % 32u))

#define CNF_DIR_OUTPUT    (1u << 0)
#define CNF_INPUT_DISCONN (1u << 1) /* 0: input buffer connected */
#define CNF_PULL_DOWN     (1u << 2)
#define CNF_PULL_UP       (3u << 2)
#define CNF_DRIVE_S0D1    (6u << 8) /* standard 0, disconnected 1: open drain */

#define BIT(pin) (1u << ((pin) % 32u))

uint32_t gpio_hw_modes(unsigned pin)
{
    (void)pin;
    return (1u << GPIO_MODES) - 1u;
}

void gpio_hw_configure(unsigned pin, unsigned mode)
{
    /* The input buffer stays connected, so read() sees outputs too. */
    uint32_t cnf = 0;
    if (mode == GPIO_INPUT_PULLUP) {
        cnf = CNF_PULL_UP;
    } else if (mode == GPIO_INPUT_PULLDOWN) {
        cnf = CNF_PULL_DOWN;
    } else if (mode == GPIO_OUTPUT) {
        cnf = CNF_DIR_OUTPUT;
    } else if (mode == GPIO_OUTPUT_OD) {
        cnf = CNF_DIR_OUTPUT | CNF_DRIVE_S0D1;
    }
    PIN_CNF(pin) = cnf;
}

void gpio_hw_write(unsigned pin, unsigned level)
{
    if (level) {
        OUTSET(pin) = BIT(pin);
    } else {
        OUTCLR(pin) = BIT(pin);
    }
}

unsigned gpio_hw_output(unsigned pin)
{
    return (OUT(pin) & BIT(pin)) != 0;
}

unsigned gpio_hw_read(unsigned pin)
{
    return (IN(pin) & BIT(pin)) != 0;
}
