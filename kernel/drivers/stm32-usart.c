/* STM32 USART, transmit only: 8N1, 16x oversampling. The board enables the
 * USART's clock and routes its TX pin; console.clock_hz is that clock.
 *
 * Two register maps, one logic. This file as it stands is the SR/DR map of
 * STM32F1, F2, F4 and L1, written from RM0090 (STM32F405/415, F407/417,
 * F427/437, F429/439) section 30.6. stm32-usart-v2.c includes it with
 * STM32_USART_ISR_MAP for the ISR/TDR map of STM32F0, F3, F7, L4, G0, G4
 * and H7, written from RM0351 (STM32L47x/L48x/L49x/L4Ax) section 40.8. */
#include <stdint.h>

#include "bsp_config.h"
#include "console.h"

#define USART_REG(off) (*(volatile uint32_t *)(CMRX_BSP_CONSOLE_BASE + (off)))

#ifdef STM32_USART_ISR_MAP
#define USART_CR1    USART_REG(0x00u)
#define USART_CR2    USART_REG(0x04u)
#define USART_CR3    USART_REG(0x08u)
#define USART_BRR    USART_REG(0x0Cu)
#define USART_STATUS USART_REG(0x1Cu) /* ISR */
#define USART_TX     USART_REG(0x28u) /* TDR */
#define CR1_UE       (1u << 0)
#else
#define USART_STATUS USART_REG(0x00u) /* SR */
#define USART_TX     USART_REG(0x04u) /* DR */
#define USART_BRR    USART_REG(0x08u)
#define USART_CR1    USART_REG(0x0Cu)
#define USART_CR2    USART_REG(0x10u)
#define USART_CR3    USART_REG(0x14u)
#define CR1_UE       (1u << 13)
#endif

/* The same bits in both maps. */
#define CR1_TE     (1u << 3)
#define STATUS_TC  (1u << 6) /* transmission complete: shift register idle */
#define STATUS_TXE (1u << 7) /* transmit data register empty */

/* With 16x oversampling, BRR = fck / baud in both maps (RM0090 30.3.4 keeps
 * USARTDIV = fck / (16 baud) as 12.4 fixed point, the same number). */
#define USART_BRR_VALUE                                                                            \
    ((CMRX_BSP_CONSOLE_CLOCK_HZ + CMRX_BSP_CONSOLE_BAUD / 2u) / CMRX_BSP_CONSOLE_BAUD)
_Static_assert(USART_BRR_VALUE >= 16u && USART_BRR_VALUE <= 0xFFFFu,
               "console.baud cannot be reached from console.clock_hz");

void console_driver_init(void)
{
    USART_CR1 = 0; /* disabled; word length, parity, OVER8 cleared: 8N1, 16x */
    USART_CR2 = 0; /* one stop bit */
    USART_CR3 = 0; /* no flow control */
    USART_BRR = USART_BRR_VALUE;
    USART_CR1 = CR1_UE | CR1_TE;
}

void console_driver_write(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        while (!(USART_STATUS & STATUS_TXE)) {
        }
        USART_TX = (uint8_t)s[i];
    }
}

void console_driver_flush(void)
{
    while (!(USART_STATUS & STATUS_TC)) {
    }
}
