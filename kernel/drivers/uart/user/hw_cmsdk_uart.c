/* Arm CMSDK APB UART (registers in the kernel's uart/cmsdk_uart.h): the
 * MPS2 FPGA images' UARTs. One-byte transmit and receive buffers; separate
 * receive and transmit interrupt lines. */
#include "cmsdk_uart.h"
#include "uart_hw.h"

#define UART(reg) CMSDK_UART(UART_BASE, reg)

void uart_hw_baud(uint32_t clock_hz, uint32_t baud)
{
    uint32_t div = clock_hz / baud;
    UART(BAUDDIV) = div < 16u ? 16u : div; /* at least 16 (TRM 4.3.3) */
}

void uart_hw_init(void)
{
    UART(STATE) = CMSDK_UART_STATE_TX_OVR | CMSDK_UART_STATE_RX_OVR;
    UART(INTCLEAR) =
        CMSDK_UART_INT_TX | CMSDK_UART_INT_RX | CMSDK_UART_INT_TX_OVR | CMSDK_UART_INT_RX_OVR;
    UART(CTRL) =
        UART(CTRL) | CMSDK_UART_CTRL_TX_EN | CMSDK_UART_CTRL_RX_EN | CMSDK_UART_CTRL_RX_INTEN;
}

uint32_t uart_hw_ack(void)
{
    /* The TX and RX interrupts are events: clearing them before the
     * buffers are served means a byte that comes meanwhile raises a new
     * one instead of being missed. */
    UART(INTCLEAR) = CMSDK_UART_INT_TX | CMSDK_UART_INT_RX;
    uint32_t err = 0;
    if (UART(STATE) & CMSDK_UART_STATE_RX_OVR) {
        UART(STATE) = CMSDK_UART_STATE_RX_OVR;
        UART(INTCLEAR) = CMSDK_UART_INT_RX_OVR;
        err = 1;
    }
    return err;
}

int uart_hw_rx(void)
{
    if ((UART(STATE) & CMSDK_UART_STATE_RX_FULL) == 0) {
        return -1;
    }
    return (int)(UART(DATA) & 0xFFu);
}

bool uart_hw_tx_room(void)
{
    return (UART(STATE) & CMSDK_UART_STATE_TX_FULL) == 0;
}

void uart_hw_tx(uint8_t c)
{
    UART(DATA) = c;
}

void uart_hw_tx_irq(bool on)
{
    uint32_t ctrl = UART(CTRL);
    UART(CTRL) = on ? ctrl | CMSDK_UART_CTRL_TX_INTEN : ctrl & ~CMSDK_UART_CTRL_TX_INTEN;
}

bool uart_hw_tx_idle(void)
{
    /* No transmitter-idle flag: an empty buffer is the closest it tells. */
    return (UART(STATE) & CMSDK_UART_STATE_TX_FULL) == 0;
}
