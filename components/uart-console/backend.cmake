# uart-console: which driver (kernel/drivers/uart/user, cmrx_uart_backend())
# drives this board's console UART. Sets UART_CONSOLE_BACKEND (its source,
# empty if none fits), UART_CONSOLE_DEFS and UART_CONSOLE_MMIO_SIZE. Used by
# component.cmake and by the tests, which skip boards without a backend.
cmrx_uart_backend(DRIVER "${CMRX_BSP_CONSOLE_DRIVER}" PREFIX UART_CONSOLE
    COMPONENT uart-console DMA "${UART_CONSOLE_DMA}")
if(NOT CMRX_BSP_CONSOLE_IRQS)
    set(UART_CONSOLE_BACKEND "") # the board names no interrupt for its UART
endif()
