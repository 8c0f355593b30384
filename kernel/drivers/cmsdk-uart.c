/* Arm CMSDK APB UART (registers in uart/cmsdk_uart.h). Used by the MPS2
 * FPGA images. */
#include <stdint.h>

#include "bsp_config.h"
#include "cmsdk_uart.h"
#include "console.h"

#define UART(reg) CMSDK_UART(CMRX_BSP_CONSOLE_BASE, reg)

void console_driver_init(void)
{
    /* The divider must be at least 16 (TRM 4.3.3). */
    uint32_t div = CMRX_BSP_CONSOLE_CLOCK_HZ / CMRX_BSP_CONSOLE_BAUD;
    UART(BAUDDIV) = div < 16u ? 16u : div;
    UART(CTRL) = CMSDK_UART_CTRL_TX_EN | CMSDK_UART_CTRL_RX_EN;
}

size_t console_driver_put(const char *s, size_t n)
{
    size_t i = 0;
    for (; i < n && !(UART(STATE) & CMSDK_UART_STATE_TX_FULL); i++) {
        UART(DATA) = (uint8_t)s[i];
    }
    return i;
}

void console_driver_flush(void)
{
    /* The CMSDK UART has no transmitter-idle flag: wait for the buffer to
     * drain into the shift register, the closest it reports. */
    while (UART(STATE) & CMSDK_UART_STATE_TX_FULL) {
    }
}
