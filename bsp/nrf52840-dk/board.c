/* nRF52840 DK: the crystal oscillator for an exact baud rate; UARTE0 on
 * P0.06 (TX) and P0.08 (RX), which the DK wires to its J-Link's virtual
 * COM port; UARTE1 (bsp.yaml uarte1) on the Arduino header's D1 = P1.02
 * (TX) and D0 = P1.01 (RX), for the process that owns it (the updater),
 * which then programs only the UARTE's own registers. On nRF the pin
 * routing is a register of the UARTE (PSEL): set here all the same, as
 * the board's choice.
 * Registers from the nRF52840 Product Specification v1.7: CLOCK 5.4,
 * GPIO 6.9, UARTE 6.34 (uart/nrf_uarte.h). */
#include <stdint.h>

#include "bsp_config.h"
#include "nrf_uarte.h"

#define REG(addr) (*(volatile uint32_t *)(addr))

#define CLOCK_TASKS_HFCLKSTART    REG(0x40000000u)
#define CLOCK_EVENTS_HFCLKSTARTED REG(0x40000100u)
/* GPIO port n at 0x50000000 + 0x300 n. */
#define GPIO_OUTSET(port)       REG(0x50000508u + 0x300u * (port))
#define GPIO_DIRSET(port)       REG(0x50000518u + 0x300u * (port))
#define GPIO_PIN_CNF(port, pin) REG(0x50000700u + 0x300u * (port) + 4u * (pin))
#define PIN_CNF_INPUT_PULLUP    (3u << 2) /* input, buffer connected, pull-up */

#define CONSOLE_TX 6u /* P0.06 */
#define CONSOLE_RX 8u /* P0.08 */
#define UARTE1_TX  2u /* P1.02 */
#define UARTE1_RX  1u /* P1.01 */

void bsp_board_init(void);

/* TX idles high: drive it so before the UARTE takes the pin over. RX is
 * pulled up, so that a pin with nothing on it idles as a stop bit. */
static void route(uint32_t uarte, uint32_t port, uint32_t tx, uint32_t rx)
{
    GPIO_OUTSET(port) = 1u << tx;
    GPIO_DIRSET(port) = 1u << tx;
    GPIO_PIN_CNF(port, rx) = PIN_CNF_INPUT_PULLUP;
    NRF_UARTE(uarte, PSEL_TXD) = NRF_UARTE_PSEL(port, tx);
    NRF_UARTE(uarte, PSEL_RXD) = NRF_UARTE_PSEL(port, rx);
}

void bsp_board_init(void)
{
    /* The internal RC oscillator is only good to a few percent, too loose
     * for a UART: run the 64 MHz clock from the 32 MHz crystal. */
    CLOCK_EVENTS_HFCLKSTARTED = 0;
    CLOCK_TASKS_HFCLKSTART = 1;
    while (CLOCK_EVENTS_HFCLKSTARTED == 0) {
    }

    route(CMRX_BSP_CONSOLE_BASE, 0, CONSOLE_TX, CONSOLE_RX);
    route(CMRX_BSP_PERIPH_UARTE1_BASE, 1, UARTE1_TX, UARTE1_RX);
}
