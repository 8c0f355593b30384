/* STM32 USART, transmit only: 8N1, 16x oversampling. The board enables the
 * USART's clock and routes its TX pin; console.clock_hz is that clock.
 *
 * Two register maps (uart/stm32_usart.h), one logic: this file uses the
 * SR/DR map of STM32F1, F2, F4 and L1; stm32-usart-v2.c includes it with
 * STM32_USART_ISR_MAP for the ISR/TDR map of STM32F0, F3, F7, L4, G0, G4
 * and H7. */
#include <stdint.h>

#include "bsp_config.h"
#include "console.h"
#include "stm32_usart.h"

#define USART(reg) STM32_USART(CMRX_BSP_CONSOLE_BASE, reg)

/* With 16x oversampling, BRR = fck / baud in both maps (RM0090 30.3.4 keeps
 * USARTDIV = fck / (16 baud) as 12.4 fixed point, the same number). */
#define USART_BRR_VALUE                                                                            \
    ((CMRX_BSP_CONSOLE_CLOCK_HZ + CMRX_BSP_CONSOLE_BAUD / 2u) / CMRX_BSP_CONSOLE_BAUD)
_Static_assert(USART_BRR_VALUE >= 16u && USART_BRR_VALUE <= 0xFFFFu,
               "console.baud cannot be reached from console.clock_hz");

void console_driver_init(void)
{
    USART(CR1) = 0; /* disabled; word length, parity, OVER8 cleared: 8N1, 16x */
    USART(CR2) = 0; /* one stop bit */
    USART(CR3) = 0; /* no flow control */
    USART(BRR) = USART_BRR_VALUE;
    USART(CR1) = STM32_USART_CR1_UE | STM32_USART_CR1_TE;
}

size_t console_driver_put(const char *s, size_t n)
{
    size_t i = 0;
    for (; i < n && (USART(STATUS) & STM32_USART_ST_TXE); i++) {
        USART(TXDATA) = (uint8_t)s[i];
    }
    return i;
}

void console_driver_flush(void)
{
    while (!(USART(STATUS) & STM32_USART_ST_TC)) {
    }
}
