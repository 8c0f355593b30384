/* STM32 USART: its registers, in two maps. By default the SR/DR map of
 * STM32F1, F2, F4 and L1 (RM0090, STM32F405 and relatives, section 30.6);
 * with STM32_USART_ISR_MAP defined, the ISR/RDR/TDR map of STM32F0, F3,
 * F7, L4, G0, G4 and H7 (RM0351, STM32L47x and relatives, section 40.8).
 * The bits below sit at the same positions in both maps, CR1_UE excepted.
 * For the kernel's console driver and the uart-console component alike. */
#ifndef CMRX_UART_STM32_USART_H
#define CMRX_UART_STM32_USART_H

#include <stdint.h>

/** Register @p reg (CR1, STATUS, ...) of the USART at @p base. */
#define STM32_USART(base, reg) (*(volatile uint32_t *)((uintptr_t)(base) + STM32_USART_##reg))

#ifdef STM32_USART_ISR_MAP
#define STM32_USART_CR1    0x00u
#define STM32_USART_CR2    0x04u
#define STM32_USART_CR3    0x08u
#define STM32_USART_BRR    0x0Cu
#define STM32_USART_STATUS 0x1Cu /* ISR */
#define STM32_USART_ICR    0x20u /* its clear bits sit where ISR's flags are */
#define STM32_USART_RXDATA 0x24u /* RDR */
#define STM32_USART_TXDATA 0x28u /* TDR */
#define STM32_USART_CR1_UE (1u << 0)
#else
#define STM32_USART_STATUS 0x00u /* SR; error flags clear when DR is read after it */
#define STM32_USART_RXDATA 0x04u /* DR */
#define STM32_USART_TXDATA 0x04u /* DR */
#define STM32_USART_BRR    0x08u
#define STM32_USART_CR1    0x0Cu
#define STM32_USART_CR2    0x10u
#define STM32_USART_CR3    0x14u
#define STM32_USART_CR1_UE (1u << 13)
#endif

#define STM32_USART_CR1_RE     (1u << 2)
#define STM32_USART_CR1_TE     (1u << 3)
#define STM32_USART_CR1_RXNEIE (1u << 5) /* also interrupts on an overrun */
#define STM32_USART_CR1_TXEIE  (1u << 7)

#define STM32_USART_ST_PE   (1u << 0)
#define STM32_USART_ST_FE   (1u << 1)
#define STM32_USART_ST_NF   (1u << 2)
#define STM32_USART_ST_ORE  (1u << 3)
#define STM32_USART_ST_RXNE (1u << 5)
#define STM32_USART_ST_TC   (1u << 6) /* transmission complete: shift register idle */
#define STM32_USART_ST_TXE  (1u << 7) /* transmit data register empty */
#define STM32_USART_ST_ERR                                                                         \
    (STM32_USART_ST_PE | STM32_USART_ST_FE | STM32_USART_ST_NF | STM32_USART_ST_ORE)

#endif
