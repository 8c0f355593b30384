/* Arm CMSDK APB UART (Cortex-M System Design Kit Technical Reference
 * Manual, DDI 0479, section 4.3). Used by the MPS2 FPGA images. */
#include <stdint.h>

#include "bsp_config.h"
#include "console.h"

#define UART_DATA    (*(volatile uint32_t *)(CMRX_BSP_CONSOLE_BASE + 0x00u))
#define UART_STATE   (*(volatile uint32_t *)(CMRX_BSP_CONSOLE_BASE + 0x04u))
#define UART_CTRL    (*(volatile uint32_t *)(CMRX_BSP_CONSOLE_BASE + 0x08u))
#define UART_BAUDDIV (*(volatile uint32_t *)(CMRX_BSP_CONSOLE_BASE + 0x10u))

#define STATE_TX_FULL (1u << 0)
#define CTRL_TX_EN    (1u << 0)
#define CTRL_RX_EN    (1u << 1)

void console_driver_init(void)
{
    /* The divider must be at least 16 (TRM 4.3.3). */
    uint32_t div = CMRX_BSP_CONSOLE_CLOCK_HZ / CMRX_BSP_CONSOLE_BAUD;
    UART_BAUDDIV = div < 16u ? 16u : div;
    UART_CTRL = CTRL_TX_EN | CTRL_RX_EN;
}

void console_driver_write(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        while (UART_STATE & STATE_TX_FULL) {
        }
        UART_DATA = (uint8_t)s[i];
    }
}

void console_driver_flush(void)
{
    /* The CMSDK UART has no transmitter-idle flag: wait for the buffer to
     * drain into the shift register, the closest it reports. */
    while (UART_STATE & STATE_TX_FULL) {
    }
}
