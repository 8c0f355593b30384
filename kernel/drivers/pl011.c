/* Arm PrimeCell UART PL011 (Technical Reference Manual DDI 0183G,
 * chapter 3; registers in uart/pl011.h). Used by the RP2040, the Stellaris LM3S family and
 * many others. Transmits only, 8N1, with the FIFOs on. */
#include <stdint.h>

#include "bsp_config.h"
#include "console.h"
#include "pl011.h"

#define UART(reg) PL011(CMRX_BSP_CONSOLE_BASE, reg)

/* Baud rate divisor (TRM 3.3.6): clock / (16 * baud) as a 16.6 fixed-point
 * number, rounded: 64 * clock / (16 * baud) = 4 * clock / baud. */
#define DIVISOR                                                                                    \
    ((4ull * CMRX_BSP_CONSOLE_CLOCK_HZ + CMRX_BSP_CONSOLE_BAUD / 2u) / CMRX_BSP_CONSOLE_BAUD)
_Static_assert(DIVISOR >= 64u && DIVISOR < (65536ull << 6),
               "pl011: console.clock_hz / (16 * baud) must be 1..65535");

void console_driver_init(void)
{
    UART(CR) = 0; /* disabled while it is set up */
    UART(IBRD) = (uint32_t)(DIVISOR >> 6);
    UART(FBRD) = (uint32_t)(DIVISOR & 63u);
    UART(LCR_H) = PL011_LCR_H_WLEN_8 | PL011_LCR_H_FEN; /* also latches IBRD and FBRD */
    UART(CR) = PL011_CR_UARTEN | PL011_CR_TXE;
}

size_t console_driver_put(const char *s, size_t n)
{
    size_t i = 0;
    for (; i < n && !(UART(FR) & PL011_FR_TXFF); i++) {
        UART(DR) = (uint8_t)s[i];
    }
    return i;
}

void console_driver_flush(void)
{
    /* BUSY stays set until the last stop bit of the last byte is out. */
    while (UART(FR) & PL011_FR_BUSY) {
    }
}
