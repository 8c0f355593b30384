/* Nordic UARTE (UART with EasyDMA), transmit only: 8N1, no flow control.
 * Written from the nRF52840 Product Specification v1.7, section 6.34; the
 * same block is in nRF52832/833 and nRF5340. The board selects the TX pin
 * (PSEL.TXD) in bsp_board_init(): on nRF the pin routing is a register of
 * the UARTE itself. console.clock_hz is not used: the UARTE runs from the
 * 16 MHz peripheral clock and BAUDRATE takes fixed codes. */
#include <stdint.h>
#include <string.h>

#include "bsp_config.h"
#include "console.h"

#define UARTE_REG(off) (*(volatile uint32_t *)(CMRX_BSP_CONSOLE_BASE + (off)))

#define UARTE_TASKS_STARTTX    UARTE_REG(0x008u)
#define UARTE_TASKS_STOPTX     UARTE_REG(0x00Cu)
#define UARTE_EVENTS_ENDTX     UARTE_REG(0x120u)
#define UARTE_EVENTS_TXSTOPPED UARTE_REG(0x158u)
#define UARTE_ENABLE           UARTE_REG(0x500u)
#define UARTE_BAUDRATE         UARTE_REG(0x524u)
#define UARTE_TXD_PTR          UARTE_REG(0x544u)
#define UARTE_TXD_MAXCNT       UARTE_REG(0x548u)
#define UARTE_CONFIG           UARTE_REG(0x56Cu)

#define ENABLE_UARTE 8u

/* BAUDRATE codes of the UARTE (they differ from the legacy UART's). */
#if CMRX_BSP_CONSOLE_BAUD == 9600
#define UARTE_BAUD_CODE 0x00275000u
#elif CMRX_BSP_CONSOLE_BAUD == 19200
#define UARTE_BAUD_CODE 0x004EA000u
#elif CMRX_BSP_CONSOLE_BAUD == 38400
#define UARTE_BAUD_CODE 0x009D0000u
#elif CMRX_BSP_CONSOLE_BAUD == 57600
#define UARTE_BAUD_CODE 0x00EB0000u
#elif CMRX_BSP_CONSOLE_BAUD == 115200
#define UARTE_BAUD_CODE 0x01D60000u
#elif CMRX_BSP_CONSOLE_BAUD == 230400
#define UARTE_BAUD_CODE 0x03B00000u
#elif CMRX_BSP_CONSOLE_BAUD == 460800
#define UARTE_BAUD_CODE 0x07400000u
#elif CMRX_BSP_CONSOLE_BAUD == 921600
#define UARTE_BAUD_CODE 0x0F000000u
#elif CMRX_BSP_CONSOLE_BAUD == 1000000
#define UARTE_BAUD_CODE 0x10000000u
#else
#error "nrf-uarte: console.baud is not a rate the UARTE has a code for (see above)"
#endif

/* EasyDMA reads only RAM, and the text often lies in flash: it goes through
 * this buffer. */
static uint8_t tx_buf[64];

static void send(size_t len)
{
    UARTE_TXD_PTR = (uint32_t)tx_buf;
    UARTE_TXD_MAXCNT = (uint32_t)len;
    UARTE_EVENTS_ENDTX = 0;
    UARTE_TASKS_STARTTX = 1;
    /* ENDTX: every byte of the buffer has been transmitted. */
    while (UARTE_EVENTS_ENDTX == 0) {
    }
    /* Stop, so the transmitter does not hold the high-frequency clock. */
    UARTE_EVENTS_TXSTOPPED = 0;
    UARTE_TASKS_STOPTX = 1;
    while (UARTE_EVENTS_TXSTOPPED == 0) {
    }
}

void console_driver_init(void)
{
    UARTE_ENABLE = 0;
    UARTE_CONFIG = 0; /* no parity, one stop bit, no flow control */
    UARTE_BAUDRATE = UARTE_BAUD_CODE;
    UARTE_ENABLE = ENABLE_UARTE;
}

void console_driver_write(const char *s, size_t n)
{
    while (n > 0) {
        size_t len = n < sizeof(tx_buf) ? n : sizeof(tx_buf);
        memcpy(tx_buf, s, len);
        send(len);
        s += len;
        n -= len;
    }
}

void console_driver_flush(void)
{
    /* send() returns only once its bytes are out. */
}
