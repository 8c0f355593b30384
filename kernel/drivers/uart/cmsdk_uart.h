/* Arm CMSDK APB UART: its registers (Cortex-M System Design Kit Technical
 * Reference Manual, DDI 0479, section 4.3), for the kernel's console driver
 * and the uart-console component alike. */
#ifndef CMRX_UART_CMSDK_UART_H
#define CMRX_UART_CMSDK_UART_H

#include <stdint.h>

/** Register @p reg (DATA, STATE, ...) of the UART at @p base. */
#define CMSDK_UART(base, reg) (*(volatile uint32_t *)((uintptr_t)(base) + CMSDK_UART_##reg))

#define CMSDK_UART_DATA     0x00u
#define CMSDK_UART_STATE    0x04u
#define CMSDK_UART_CTRL     0x08u
#define CMSDK_UART_INTCLEAR 0x0Cu /* INTSTATUS when read */
#define CMSDK_UART_BAUDDIV  0x10u /* at least 16 (TRM 4.3.3) */

#define CMSDK_UART_STATE_TX_FULL (1u << 0)
#define CMSDK_UART_STATE_RX_FULL (1u << 1)
#define CMSDK_UART_STATE_TX_OVR  (1u << 2) /* write 1 to clear */
#define CMSDK_UART_STATE_RX_OVR  (1u << 3) /* write 1 to clear */

#define CMSDK_UART_CTRL_TX_EN    (1u << 0)
#define CMSDK_UART_CTRL_RX_EN    (1u << 1)
#define CMSDK_UART_CTRL_TX_INTEN (1u << 2)
#define CMSDK_UART_CTRL_RX_INTEN (1u << 3)

#define CMSDK_UART_INT_TX     (1u << 0)
#define CMSDK_UART_INT_RX     (1u << 1)
#define CMSDK_UART_INT_TX_OVR (1u << 2)
#define CMSDK_UART_INT_RX_OVR (1u << 3)

#endif
