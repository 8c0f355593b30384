/* Nordic UARTE (UART with EasyDMA), transmit only: 8N1, no flow control.
 * Registers in uart/nrf_uarte.h (nRF52840 Product Specification v1.7,
 * section 6.34). The board selects the TX pin (PSEL.TXD) in
 * bsp_board_init(): on nRF the pin routing is a register of the UARTE
 * itself. console.clock_hz is not used: the UARTE runs from the 16 MHz
 * peripheral clock and BAUDRATE takes fixed codes. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "bsp_config.h"
#include "console.h"
#include "nrf_uarte.h"

#define UARTE(reg) NRF_UARTE(CMRX_BSP_CONSOLE_BASE, reg)

_Static_assert(NRF_UARTE_BAUD_CODE(CMRX_BSP_CONSOLE_BAUD) != 0u,
               "nrf-uarte: console.baud is not a rate the UARTE has a code for (nrf_uarte.h)");

/* EasyDMA reads only RAM, and the text often lies in flash: it goes through
 * this buffer. */
static uint8_t tx_buf[64];
static bool sending; /* a transfer started and not yet seen to end */

/* The transfer under way, if any, has ended (ENDTX: every byte of the
 * buffer is out): stop the transmitter, so that it does not hold the
 * high-frequency clock; stopping an idle one takes no time. */
static bool tx_done(void)
{
    if (sending) {
        if (UARTE(EVENTS_ENDTX) == 0) {
            return false;
        }
        UARTE(EVENTS_TXSTOPPED) = 0;
        UARTE(TASKS_STOPTX) = 1;
        while (UARTE(EVENTS_TXSTOPPED) == 0) {
        }
        sending = false;
    }
    return true;
}

void console_driver_init(void)
{
    UARTE(ENABLE) = 0;
    UARTE(CONFIG) = 0; /* no parity, one stop bit, no flow control */
    UARTE(BAUDRATE) = NRF_UARTE_BAUD_CODE(CMRX_BSP_CONSOLE_BAUD);
    UARTE(ENABLE) = NRF_UARTE_ENABLE_ON;
}

size_t console_driver_put(const char *s, size_t n)
{
    if (n == 0 || !tx_done()) {
        return 0;
    }
    size_t len = n < sizeof(tx_buf) ? n : sizeof(tx_buf);
    memcpy(tx_buf, s, len);
    UARTE(TXD_PTR) = (uint32_t)tx_buf;
    UARTE(TXD_MAXCNT) = (uint32_t)len;
    UARTE(EVENTS_ENDTX) = 0;
    UARTE(TASKS_STARTTX) = 1;
    sending = true;
    return len;
}

void console_driver_flush(void)
{
    while (!tx_done()) {
    }
}
