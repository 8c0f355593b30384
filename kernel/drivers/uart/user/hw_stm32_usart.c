/* STM32 USART, receive and transmit by interrupt (one interrupt line).
 *
 * Either register map of the kernel's uart/stm32_usart.h (the ISR/RDR/TDR
 * one with STM32_USART_ISR_MAP defined). The board's bsp_board_init() clocks the USART
 * and routes its pins; the kernel set the console's baud rate. */
#include "stm32_usart.h"
#include "uart_hw.h"

#define USART(reg) STM32_USART(UART_BASE, reg)

void uart_hw_baud(uint32_t clock_hz, uint32_t baud)
{
    /* BRR = fck / baud with 16x oversampling, in both maps; it may only
     * change while the USART is disabled. */
    uint32_t cr1 = USART(CR1);
    USART(CR1) = cr1 & ~STM32_USART_CR1_UE;
    USART(BRR) = (clock_hz + baud / 2u) / baud;
    USART(CR1) = cr1 | STM32_USART_CR1_UE;
}

void uart_hw_init(void)
{
    USART(CR1) = USART(CR1) | STM32_USART_CR1_RE | STM32_USART_CR1_TE | STM32_USART_CR1_RXNEIE;
}

uint32_t uart_hw_ack(void)
{
    uint32_t st = USART(STATUS);
    if ((st & STM32_USART_ST_ERR) == 0) {
        return 0;
    }
#ifdef STM32_USART_ISR_MAP
    USART(ICR) = st & STM32_USART_ST_ERR; /* the clear bits sit where the flags are */
#else
    /* The flags clear when DR is read after SR (RM0090 30.6.1). With a
     * byte waiting, uart_hw_rx() does that next and keeps the byte. */
    if ((st & STM32_USART_ST_RXNE) == 0) {
        (void)USART(RXDATA);
    }
#endif
    return 1;
}

int uart_hw_rx(void)
{
    if ((USART(STATUS) & STM32_USART_ST_RXNE) == 0) {
        return -1;
    }
    return (int)(USART(RXDATA) & 0xFFu);
}

bool uart_hw_tx_room(void)
{
    return (USART(STATUS) & STM32_USART_ST_TXE) != 0;
}

void uart_hw_tx(uint8_t c)
{
    USART(TXDATA) = c;
}

void uart_hw_tx_irq(bool on)
{
    uint32_t cr1 = USART(CR1);
    USART(CR1) = on ? cr1 | STM32_USART_CR1_TXEIE : cr1 & ~STM32_USART_CR1_TXEIE;
}

bool uart_hw_tx_idle(void)
{
    return (USART(STATUS) & STM32_USART_ST_TC) != 0;
}
