# uart-console: which backend drives this board's console UART. Sets
# UART_CONSOLE_BACKEND (a source file under src/, empty if none fits),
# UART_CONSOLE_DEFS and UART_CONSOLE_MMIO_SIZE. Used by component.cmake and
# by the tests, which skip boards without a backend.
set(UART_CONSOLE_BACKEND "")
set(UART_CONSOLE_DEFS "")
if(CMRX_BSP_CONSOLE_DRIVER STREQUAL "cmsdk-uart")
    set(UART_CONSOLE_BACKEND hw_cmsdk_uart.c)
    set(UART_CONSOLE_MMIO_SIZE 0x1000)
elseif(CMRX_BSP_CONSOLE_DRIVER STREQUAL "stm32-usart")
    set(UART_CONSOLE_BACKEND hw_stm32_usart.c)
    set(UART_CONSOLE_MMIO_SIZE 0x400)
elseif(CMRX_BSP_CONSOLE_DRIVER STREQUAL "pl011")
    set(UART_CONSOLE_BACKEND hw_pl011.c)
    set(UART_CONSOLE_MMIO_SIZE 0x1000)
elseif(CMRX_BSP_CONSOLE_DRIVER STREQUAL "stm32-usart-v2")
    set(UART_CONSOLE_BACKEND hw_stm32_usart.c)
    set(UART_CONSOLE_DEFS STM32_USART_ISR_MAP)
    set(UART_CONSOLE_MMIO_SIZE 0x400)
endif()
if(NOT CMRX_BSP_CONSOLE_IRQS)
    set(UART_CONSOLE_BACKEND "") # the board names no interrupt for its UART
endif()
