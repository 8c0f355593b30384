/* STM32 USART, receive and transmit by interrupt (one interrupt line).
 *
 * The SR/DR register map of STM32F1, F2, F4 and L1 from RM0090 (STM32F405
 * and relatives) section 30.6; with STM32_USART_ISR_MAP defined, the
 * ISR/RDR/TDR map of STM32F0, F3, F7, L4, G0, G4 and H7 from RM0351
 * (STM32L47x and relatives) section 40.8. The bits used are at the same
 * positions in both maps. The board's bsp_board_init() clocks the USART
 * and routes its pins; the kernel set the baud rate. */
#include "uart_hw.h"

#define REG(off) (*(volatile uint32_t *)(UART_BASE + (off)))

#ifdef STM32_USART_ISR_MAP
#define CR1    REG(0x00u)
#define CR3    REG(0x08u)
#define STATUS REG(0x1Cu) /* ISR */
#define ICR    REG(0x20u)
#define RXDATA REG(0x24u) /* RDR */
#define TXDATA REG(0x28u) /* TDR */
#else
#define STATUS REG(0x00u) /* SR */
#define RXDATA REG(0x04u) /* DR */
#define TXDATA REG(0x04u) /* DR */
#define CR1    REG(0x0Cu)
#define CR3    REG(0x14u)
#endif

#define ST_PE   (1u << 0)
#define ST_FE   (1u << 1)
#define ST_NF   (1u << 2)
#define ST_ORE  (1u << 3)
#define ST_RXNE (1u << 5)
#define ST_TC   (1u << 6)
#define ST_TXE  (1u << 7)
#define ST_ERR  (ST_PE | ST_FE | ST_NF | ST_ORE)

#define CR1_RE     (1u << 2)
#define CR1_TE     (1u << 3)
#define CR1_RXNEIE (1u << 5) /* also interrupts on an overrun */
#define CR1_TXEIE  (1u << 7)

void uart_hw_init(void)
{
    CR1 = CR1 | CR1_RE | CR1_TE | CR1_RXNEIE;
}

uint32_t uart_hw_ack(void)
{
    uint32_t st = STATUS;
    if ((st & ST_ERR) == 0) {
        return 0;
    }
#ifdef STM32_USART_ISR_MAP
    ICR = st & ST_ERR; /* the clear bits sit where the flags are */
#else
    /* The flags clear when DR is read after SR (RM0090 30.6.1). With a
     * byte waiting, uart_hw_rx() does that next and keeps the byte. */
    if ((st & ST_RXNE) == 0) {
        (void)RXDATA;
    }
#endif
    return 1;
}

int uart_hw_rx(void)
{
    if ((STATUS & ST_RXNE) == 0) {
        return -1;
    }
    return (int)(RXDATA & 0xFFu);
}

bool uart_hw_tx_room(void)
{
    return (STATUS & ST_TXE) != 0;
}

void uart_hw_tx(uint8_t c)
{
    TXDATA = c;
}

void uart_hw_tx_irq(bool on)
{
    uint32_t cr1 = CR1;
    CR1 = on ? cr1 | CR1_TXEIE : cr1 & ~CR1_TXEIE;
}

bool uart_hw_tx_idle(void)
{
    return (STATUS & ST_TC) != 0;
}
