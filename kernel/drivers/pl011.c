/* Arm PrimeCell UART PL011 (Technical Reference Manual DDI 0183G,
 * chapter 3: registers). Used by the RP2040, the Stellaris LM3S family and
 * many others. Transmits only, 8N1, with the FIFOs on. */
#include <stdint.h>

#include "bsp_config.h"
#include "console.h"

#define REG(off)  (*(volatile uint32_t *)(CMRX_BSP_CONSOLE_BASE + (off)))
#define UARTDR    REG(0x000u)
#define UARTFR    REG(0x018u)
#define UARTIBRD  REG(0x024u)
#define UARTFBRD  REG(0x028u)
#define UARTLCR_H REG(0x02Cu)
#define UARTCR    REG(0x030u)

#define FR_BUSY      (1u << 3)
#define FR_TXFF      (1u << 5)
#define LCR_H_FEN    (1u << 4)
#define LCR_H_WLEN_8 (3u << 5)
#define CR_UARTEN    (1u << 0)
#define CR_TXE       (1u << 8)

/* Baud rate divisor (TRM 3.3.6): clock / (16 * baud) as a 16.6 fixed-point
 * number, rounded: 64 * clock / (16 * baud) = 4 * clock / baud. */
#define DIVISOR                                                                                    \
    ((4ull * CMRX_BSP_CONSOLE_CLOCK_HZ + CMRX_BSP_CONSOLE_BAUD / 2u) / CMRX_BSP_CONSOLE_BAUD)
_Static_assert(DIVISOR >= 64u && DIVISOR < (65536ull << 6),
               "pl011: console.clock_hz / (16 * baud) must be 1..65535");

void console_driver_init(void)
{
    UARTCR = 0; /* disabled while it is set up */
    UARTIBRD = (uint32_t)(DIVISOR >> 6);
    UARTFBRD = (uint32_t)(DIVISOR & 63u);
    UARTLCR_H = LCR_H_WLEN_8 | LCR_H_FEN; /* also latches IBRD and FBRD */
    UARTCR = CR_UARTEN | CR_TXE;
}

void console_driver_write(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        while (UARTFR & FR_TXFF) {
        }
        UARTDR = (uint8_t)s[i];
    }
}

void console_driver_flush(void)
{
    /* BUSY stays set until the last stop bit of the last byte is out. */
    while (UARTFR & FR_BUSY) {
    }
}
