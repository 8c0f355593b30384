/* Nordic UARTE (UART with EasyDMA), receive and transmit by interrupt (one
 * interrupt line), registers in the kernel's uart/nrf_uarte.h.
 *
 * EasyDMA moves every byte between the UARTE and RAM, one byte per
 * transfer each way: a received byte is in RAM at its ENDRX event, and
 * uart_hw_rx() starts the next reception, while the UARTE's receive FIFO
 * holds what arrives meanwhile; a byte to send needs no buffer beyond its
 * own. The board routes the pins (PSEL, in bsp_board_init()), as it does
 * the console's; the kernel set the console's baud rate.
 *
 * EasyDMA is a bus master the MPU does not check: the process that owns a
 * UARTE can have it read and write any RAM (docs/security.md, devices that
 * master the bus). */
#include "nrf_uarte.h"
#include "uart_hw.h"

#define UARTE(reg) NRF_UARTE(UART_BASE, reg)

/* A process that fixes its rate at build time learns then whether the
 * UARTE has a code for it. */
#ifdef UART_BAUD
_Static_assert(
    NRF_UARTE_BAUD_CODE(UART_BAUD) != 0u,
    "nrf-uarte: the UARTE has no code for this baud rate (9600 .. 1000000, nrf_uarte.h)");
#endif

static volatile uint8_t rx_byte; /* written by EasyDMA */
static uint8_t tx_byte;          /* read by EasyDMA */
static bool tx_started;

/* Clear an event; the read makes sure the write has landed before the
 * interrupt line is looked at again. */
static void clear(volatile uint32_t *event)
{
    *event = 0;
    (void)*event;
}

void uart_hw_baud(uint32_t clock_hz, uint32_t baud)
{
    (void)clock_hz; /* the UARTE runs from the 16 MHz peripheral clock */
    uint32_t code = NRF_UARTE_BAUD_CODE(baud);
    UARTE(ENABLE) = 0;
    UARTE(CONFIG) = 0;
    UARTE(BAUDRATE) = code;
    if (code != 0) { /* a rate without a code: rather silent than wrong */
        UARTE(ENABLE) = NRF_UARTE_ENABLE_ON;
    }
}

void uart_hw_init(void)
{
    UARTE(ERRORSRC) = NRF_UARTE_ERRORSRC_ALL;
    clear(&UARTE(EVENTS_ERROR));
    clear(&UARTE(EVENTS_ENDRX));
    UARTE(RXD_PTR) = (uint32_t)(uintptr_t)&rx_byte; /* kept for every STARTRX */
    UARTE(RXD_MAXCNT) = 1;
    UARTE(INTENSET) = NRF_UARTE_INT_ENDRX | NRF_UARTE_INT_ERROR;
    UARTE(TASKS_STARTRX) = 1;
}

uint32_t uart_hw_ack(void)
{
    if (UARTE(EVENTS_ERROR) == 0) {
        return 0;
    }
    UARTE(ERRORSRC) = UARTE(ERRORSRC);
    clear(&UARTE(EVENTS_ERROR));
    return 1;
}

int uart_hw_rx(void)
{
    if (UARTE(EVENTS_ENDRX) == 0) {
        return -1;
    }
    int c = rx_byte;
    clear(&UARTE(EVENTS_ENDRX));
    UARTE(TASKS_STARTRX) = 1;
    return c;
}

bool uart_hw_tx_room(void)
{
    /* ENDTX: the last transfer's byte is out (the kernel's console driver
     * leaves it set too, after its own transfers). */
    return !tx_started || UARTE(EVENTS_ENDTX) != 0;
}

void uart_hw_tx(uint8_t c)
{
    tx_byte = c;
    clear(&UARTE(EVENTS_ENDTX));
    UARTE(TXD_PTR) = (uint32_t)(uintptr_t)&tx_byte;
    UARTE(TXD_MAXCNT) = 1;
    UARTE(TASKS_STARTTX) = 1;
    tx_started = true;
}

void uart_hw_tx_irq(bool on)
{
    /* ENDTX stays set while the transmitter is idle: the line stays raised
     * until it is turned off, as a TXE interrupt does. */
    if (on) {
        UARTE(INTENSET) = NRF_UARTE_INT_ENDTX;
    } else {
        UARTE(INTENCLR) = NRF_UARTE_INT_ENDTX;
    }
}

bool uart_hw_tx_idle(void)
{
    return uart_hw_tx_room();
}
