# uart-console: which backend (src/hw_*.c, uart_hw.h) drives a UART of a
# bsp.yaml driver. uart_hw_backend(DRIVER d PREFIX p) sets p_BACKEND (the
# source file's path, empty if none fits), p_DEFS and p_MMIO_SIZE. For the
# console (UART_CONSOLE_*, below) and for other components that drive a
# UART of their own (the updater). Used by component.cmake and by the
# tests, which skip boards without a backend.
set(UART_HW_DIR ${CMAKE_CURRENT_LIST_DIR}/src)
set(UART_HW_DRIVERS cmsdk-uart stm32-usart stm32-usart-v2 pl011)
function(uart_hw_backend)
    cmake_parse_arguments(U "" "DRIVER;PREFIX" "" ${ARGN})
    set(src "")
    set(defs "")
    set(size "")
    if(U_DRIVER STREQUAL "cmsdk-uart")
        set(src hw_cmsdk_uart.c)
        set(size 0x1000)
    elseif(U_DRIVER STREQUAL "stm32-usart")
        set(src hw_stm32_usart.c)
        set(size 0x400)
    elseif(U_DRIVER STREQUAL "pl011")
        set(src hw_pl011.c)
        set(size 0x1000)
    elseif(U_DRIVER STREQUAL "stm32-usart-v2")
        set(src hw_stm32_usart.c)
        set(defs STM32_USART_ISR_MAP)
        set(size 0x400)
    endif()
    if(src)
        set(src ${UART_HW_DIR}/${src})
    endif()
    set(${U_PREFIX}_BACKEND "${src}" PARENT_SCOPE)
    set(${U_PREFIX}_DEFS "${defs}" PARENT_SCOPE)
    set(${U_PREFIX}_MMIO_SIZE "${size}" PARENT_SCOPE)
endfunction()

uart_hw_backend(DRIVER "${CMRX_BSP_CONSOLE_DRIVER}" PREFIX UART_CONSOLE)
if(NOT CMRX_BSP_CONSOLE_IRQS)
    set(UART_CONSOLE_BACKEND "") # the board names no interrupt for its UART
endif()
