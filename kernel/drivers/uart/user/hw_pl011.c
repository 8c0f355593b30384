/* Arm PrimeCell UART PL011 (registers in the kernel's uart/pl011.h), with its FIFOs on as the
 * kernel's console driver left them: the RP2040 and many others. One interrupt line; receive
 * interrupts on the FIFO level and on the receive timeout, so that a lone byte comes too. */
#include "pl011.h"
#include "uart_hw.h"

#define UART(reg) PL011(UART_BASE, reg)

void uart_hw_baud(uint32_t clock_hz, uint32_t baud)
{
    /* TRM 3.3.6: clock / (16 * baud) as 16.6 fixed point, rounded. */
    uint64_t div = (4ull * clock_hz + baud / 2u) / baud;
    while (UART(FR) & PL011_FR_BUSY) {
    }
    UART(CR) = 0;
    UART(IBRD) = (uint32_t)(div >> 6);
    UART(FBRD) = (uint32_t)(div & 63u);
    UART(LCR_H) = PL011_LCR_H_WLEN_8 | PL011_LCR_H_FEN; /* latches IBRD and FBRD */
}

void uart_hw_init(void)
{
    UART(ICR) = PL011_INT_ALL;
    UART(IMSC) = PL011_INT_RX | PL011_INT_RT | PL011_INT_ERR;
    /* TRM 3.3.8: the control register is changed with the UART disabled,
     * after the transmitter is done (BUSY covers the FIFO too). */
    uint32_t cr = UART(CR);
    if ((cr & PL011_CR_RXE) == 0) {
        while (UART(FR) & PL011_FR_BUSY) {
        }
        UART(CR) = cr & ~PL011_CR_UARTEN;
        UART(CR) = cr | PL011_CR_RXE | PL011_CR_TXE | PL011_CR_UARTEN;
    }
}

uint32_t uart_hw_ack(void)
{
    /* Cleared before the FIFOs are served: what comes meanwhile raises
     * the interrupt again. */
    uint32_t ris = UART(RIS);
    UART(ICR) = PL011_INT_ALL;
    return (ris & PL011_INT_ERR) != 0;
}

int uart_hw_rx(void)
{
    if (UART(FR) & PL011_FR_RXFE) {
        return -1;
    }
    return (int)(UART(DR) & 0xFFu); /* bits 11:8 are that byte's errors, counted by ack */
}

bool uart_hw_tx_room(void)
{
    return (UART(FR) & PL011_FR_TXFF) == 0;
}

void uart_hw_tx(uint8_t c)
{
    UART(DR) = c;
}

void uart_hw_tx_irq(bool on)
{
    /* Raised when the transmit FIFO drains to its trigger level. */
    uint32_t imsc = UART(IMSC);
    UART(IMSC) = on ? imsc | PL011_INT_TX : imsc & ~PL011_INT_TX;
}

bool uart_hw_tx_idle(void)
{
    return (UART(FR) & PL011_FR_TXFE) && (UART(FR) & PL011_FR_BUSY) == 0;
}
