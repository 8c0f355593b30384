/* Arm PrimeCell UART PL011 (Technical Reference Manual DDI 0183G, chapter
 * 3), with its FIFOs on as the kernel's console driver left them: the
 * RP2040 and many others. One interrupt line; receive interrupts on the
 * FIFO level and on the receive timeout, so that a lone byte comes too. */
#include "uart_hw.h"

#define REG(off) (*(volatile uint32_t *)(UART_BASE + (off)))
#define UARTDR   REG(0x000u)
#define UARTFR   REG(0x018u)
#define UARTCR   REG(0x030u)
#define UARTIMSC REG(0x038u) /* interrupt mask: 1 enables */
#define UARTRIS  REG(0x03Cu) /* raw interrupt status */
#define UARTICR  REG(0x044u) /* write 1 to clear */

#define FR_BUSY (1u << 3)
#define FR_RXFE (1u << 4)
#define FR_TXFF (1u << 5)
#define FR_TXFE (1u << 7)

#define CR_UARTEN (1u << 0)
#define CR_TXE    (1u << 8)
#define CR_RXE    (1u << 9)

/* Interrupt bits of IMSC, RIS and ICR. */
#define INT_RX  (1u << 4)
#define INT_TX  (1u << 5)
#define INT_RT  (1u << 6) /* receive timeout */
#define INT_FE  (1u << 7)
#define INT_PE  (1u << 8)
#define INT_BE  (1u << 9)
#define INT_OE  (1u << 10)
#define INT_ERR (INT_FE | INT_PE | INT_BE | INT_OE)
#define INT_ALL 0x7FFu

void uart_hw_init(void)
{
    UARTICR = INT_ALL;
    UARTIMSC = INT_RX | INT_RT | INT_ERR;
    /* TRM 3.3.8: the control register is changed with the UART disabled,
     * after the transmitter is done (BUSY covers the FIFO too). */
    uint32_t cr = UARTCR;
    if ((cr & CR_RXE) == 0) {
        while (UARTFR & FR_BUSY) {
        }
        UARTCR = cr & ~CR_UARTEN;
        UARTCR = cr | CR_RXE | CR_TXE | CR_UARTEN;
    }
}

uint32_t uart_hw_ack(void)
{
    /* Cleared before the FIFOs are served: what comes meanwhile raises
     * the interrupt again. */
    uint32_t ris = UARTRIS;
    UARTICR = INT_ALL;
    return (ris & INT_ERR) != 0;
}

int uart_hw_rx(void)
{
    if (UARTFR & FR_RXFE) {
        return -1;
    }
    return (int)(UARTDR & 0xFFu); /* bits 11:8 are that byte's errors, counted by ack */
}

bool uart_hw_tx_room(void)
{
    return (UARTFR & FR_TXFF) == 0;
}

void uart_hw_tx(uint8_t c)
{
    UARTDR = c;
}

void uart_hw_tx_irq(bool on)
{
    /* Raised when the transmit FIFO drains to its trigger level. */
    uint32_t imsc = UARTIMSC;
    UARTIMSC = on ? imsc | INT_TX : imsc & ~INT_TX;
}

bool uart_hw_tx_idle(void)
{
    return (UARTFR & FR_TXFE) && (UARTFR & FR_BUSY) == 0;
}
