/* gpio: the board's general-purpose pins as a service.
 *
 * A driver process owns the GPIO registers and serves gpio_service. A pin
 * is driven only by the process that claimed it: claim() it first, then
 * configure(), write(), toggle(); release() gives it back. Anyone may
 * read() a pin, but one the build keeps for another process (`owners`).
 * Pins are numbered by the backend (see README.md): on STM32 port * 16 +
 * pin (PA0 = 0, PB3 = 19), on nRF52 port * 32 + pin (P1.02 = 34), on the
 * MPS2 FPGA I/O 0..1 the LEDs and 2..3 the buttons.
 */
#ifndef GPIO_H
#define GPIO_H

#include <stdint.h>

#include <cmrx/cmrx.h>

/* Pin modes for configure(). */
#define GPIO_INPUT          0u /**< input, floating */
#define GPIO_INPUT_PULLUP   1u /**< input with the pull-up on */
#define GPIO_INPUT_PULLDOWN 2u /**< input with the pull-down on */
#define GPIO_OUTPUT         3u /**< push-pull output */
#define GPIO_OUTPUT_OD      4u /**< open-drain output */
#define GPIO_MODES          5u

/* Error codes of the service (besides CMRX_EBUSY, CMRX_EPERM, CMRX_EINVAL). */
#define GPIO_ENOPIN    (-200) /**< no such pin on this board */
#define GPIO_ERESERVED (-201) /**< the board keeps the pin (console, debug port) */
#define GPIO_ENOTSUP   (-202) /**< the pin cannot do that (mode, or driving an input-only pin) */

struct gpio;

/** The RPC interface. Every method checks its pin first: GPIO_ENOPIN. */
struct gpio_vtable {
    /** Make the pin the caller's. @return CMRX_OK (also if it is already);
     *  CMRX_EBUSY (another process holds it), GPIO_ERESERVED, CMRX_EPERM
     *  (kept for another process: `owners`). */
    int (*claim)(struct gpio *self, uint32_t pin);
    /** Give a claimed pin back; it keeps its configuration. @return CMRX_OK; CMRX_EPERM. */
    int (*release)(struct gpio *self, uint32_t pin);
    /** Set a claimed pin's mode (GPIO_INPUT...). @return CMRX_OK; CMRX_EPERM,
     *  CMRX_EINVAL (no such mode), GPIO_ENOTSUP (not on this pin). */
    int (*configure)(struct gpio *self, uint32_t pin, uint32_t mode);
    /** Drive a claimed pin low (0) or high (any other value).
     *  @return CMRX_OK; CMRX_EPERM, GPIO_ENOTSUP (input-only pin). */
    int (*write)(struct gpio *self, uint32_t pin, uint32_t value);
    /** Invert a claimed pin's output. @return its new level (0, 1); CMRX_EPERM, GPIO_ENOTSUP. */
    int (*toggle)(struct gpio *self, uint32_t pin);
    /** @return the pin's input level (0, 1), to any process, claimed or not;
     *  CMRX_EPERM if the build keeps the pin for another process (`owners`). */
    int (*read)(struct gpio *self, uint32_t pin);
    /** @return the index of the process holding the pin; CMRX_ESRCH if it is free. */
    int (*owner)(struct gpio *self, uint32_t pin);
};

struct gpio {
    const struct gpio_vtable *vtable;
};

/** The service object of the driver process. */
extern struct gpio gpio_service;

/* Short forms of the calls: gpio_claim(pin) is cmrx_rpc_call(&gpio_service, claim, pin). */
#define gpio_claim(pin)           cmrx_rpc_call(&gpio_service, claim, (pin))
#define gpio_release(pin)         cmrx_rpc_call(&gpio_service, release, (pin))
#define gpio_configure(pin, mode) cmrx_rpc_call(&gpio_service, configure, (pin), (mode))
#define gpio_write(pin, value)    cmrx_rpc_call(&gpio_service, write, (pin), (value))
#define gpio_toggle(pin)          cmrx_rpc_call(&gpio_service, toggle, (pin))
#define gpio_read(pin)            cmrx_rpc_call(&gpio_service, read, (pin))
#define gpio_owner(pin)           cmrx_rpc_call(&gpio_service, owner, (pin))

/* --- client library (gpio_client) ---------------------------------------- */

/** Claim @p pin, set its level and make it a push-pull output.
 *  @return CMRX_OK or the first error of claim(), write(), configure(). */
int gpio_output(uint32_t pin, uint32_t level);

/** Claim @p pin and make it an input (GPIO_INPUT, _PULLUP or _PULLDOWN).
 *  @return CMRX_OK, CMRX_EINVAL (not an input mode), or the first error of
 *  claim(), configure(). */
int gpio_input(uint32_t pin, uint32_t mode);

#endif
