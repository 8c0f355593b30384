/* nRF52840 DK: the crystal oscillator for an exact baud rate, and UARTE0's
 * TX on P0.06, which the DK wires to its J-Link's virtual COM port.
 * Registers from the nRF52840 Product Specification v1.7: CLOCK 5.4,
 * GPIO 6.9, UARTE 6.34. */
#include <stdint.h>

#define REG(addr) (*(volatile uint32_t *)(addr))

#define CLOCK_TASKS_HFCLKSTART    REG(0x40000000u)
#define CLOCK_EVENTS_HFCLKSTARTED REG(0x40000100u)
#define P0_OUTSET                 REG(0x50000508u)
#define P0_DIRSET                 REG(0x50000518u)
#define UARTE0_PSEL_TXD           REG(0x4000250Cu)

#define TX_PIN 6u /* P0.06; PSEL: pin [4:0], port [5], CONNECT [31] = 0 */

void bsp_board_init(void);

void bsp_board_init(void)
{
    /* The internal RC oscillator is only good to a few percent, too loose
     * for a UART: run the 64 MHz clock from the 32 MHz crystal. */
    CLOCK_EVENTS_HFCLKSTARTED = 0;
    CLOCK_TASKS_HFCLKSTART = 1;
    while (CLOCK_EVENTS_HFCLKSTARTED == 0) {
    }

    /* TX idles high: drive it so before the UARTE takes the pin over. */
    P0_OUTSET = 1u << TX_PIN;
    P0_DIRSET = 1u << TX_PIN;
    UARTE0_PSEL_TXD = TX_PIN;
}
