/* Arm CMSDK APB UART (Cortex-M System Design Kit TRM, DDI 0479, 4.3): the
 * MPS2 FPGA images' UARTs. One-byte transmit and receive buffers; separate
 * receive and transmit interrupt lines. */
#include "uart_hw.h"

#define REG(off) (*(volatile uint32_t *)(UART_BASE + (off)))
#define DATA     REG(0x00u)
#define STATE    REG(0x04u)
#define CTRL     REG(0x08u)
#define INTCLEAR REG(0x0Cu) /* INTSTATUS when read */

#define STATE_TX_FULL (1u << 0)
#define STATE_RX_FULL (1u << 1)
#define STATE_TX_OVR  (1u << 2) /* write 1 to clear */
#define STATE_RX_OVR  (1u << 3) /* write 1 to clear */

#define CTRL_TX_EN    (1u << 0)
#define CTRL_RX_EN    (1u << 1)
#define CTRL_TX_INTEN (1u << 2)
#define CTRL_RX_INTEN (1u << 3)

#define INT_TX     (1u << 0)
#define INT_RX     (1u << 1)
#define INT_TX_OVR (1u << 2)
#define INT_RX_OVR (1u << 3)

void uart_hw_init(void)
{
    STATE = STATE_TX_OVR | STATE_RX_OVR;
    INTCLEAR = INT_TX | INT_RX | INT_TX_OVR | INT_RX_OVR;
    CTRL = CTRL | CTRL_TX_EN | CTRL_RX_EN | CTRL_RX_INTEN;
}

uint32_t uart_hw_ack(void)
{
    /* The TX and RX interrupts are events: clearing them before the
     * buffers are served means a byte that comes meanwhile raises a new
     * one instead of being missed. */
    INTCLEAR = INT_TX | INT_RX;
    uint32_t err = 0;
    if (STATE & STATE_RX_OVR) {
        STATE = STATE_RX_OVR;
        INTCLEAR = INT_RX_OVR;
        err = 1;
    }
    return err;
}

int uart_hw_rx(void)
{
    if ((STATE & STATE_RX_FULL) == 0) {
        return -1;
    }
    return (int)(DATA & 0xFFu);
}

bool uart_hw_tx_room(void)
{
    return (STATE & STATE_TX_FULL) == 0;
}

void uart_hw_tx(uint8_t c)
{
    DATA = c;
}

void uart_hw_tx_irq(bool on)
{
    uint32_t ctrl = CTRL;
    CTRL = on ? ctrl | CTRL_TX_INTEN : ctrl & ~CTRL_TX_INTEN;
}

bool uart_hw_tx_idle(void)
{
    /* No transmitter-idle flag: an empty buffer is the closest it tells. */
    return (STATE & STATE_TX_FULL) == 0;
}
