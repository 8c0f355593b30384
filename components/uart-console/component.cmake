# uart-console: the console UART as a service (see README.md).
#
# Settings (cmrx.yaml `settings: {uart-console: {priority: 3}}`, or the
# CMake variable UART_CONSOLE_PRIORITY set before this file is included):
#   priority  priority of the driver's interrupt threads, 0..30 (default 2)
#   dma       "trusted" lets it drive a console UART that masters the bus
#             (the nRF52840's UARTE), which the MPU does not check
#             (default refuse; docs/security.md)
#   readers   the processes that may read the console's input (default:
#             every process; the input goes to whichever reads first)
include_guard(GLOBAL)
cmrx_component_settings(COMPONENT uart-console SETTINGS priority:0:30:2 dma:word:refuse
    readers:names:)
# `readers` as the elements of a C array of strings ("a","b",).
set(uart_console_readers "")
foreach(p ${UART_CONSOLE_READERS})
    string(APPEND uart_console_readers "\"${p}\",")
endforeach()
include(${CMAKE_CURRENT_LIST_DIR}/backend.cmake)
if(NOT UART_CONSOLE_BACKEND)
    string(REPLACE ";" ", " d "${CMRX_UART_DRIVERS}")
    message(FATAL_ERROR "uart-console: no backend for board ${CMRX_BSP_NAME}'s console UART "
        "(driver '${CMRX_BSP_CONSOLE_DRIVER}', irqs '${CMRX_BSP_CONSOLE_IRQS}'); it supports "
        "${d} with console.irqs in bsp.yaml")
endif()

cmrx_component_library(NAME uart_console_client
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/src/client.c
    INCLUDE_DIRS ${CMAKE_CURRENT_LIST_DIR}/include)

list(LENGTH CMRX_BSP_CONSOLE_IRQS uart_console_threads)
string(REPLACE ";" "," uart_console_irqs "${CMRX_BSP_CONSOLE_IRQS}")
cmrx_component_process(NAME uart_console
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/src/driver.c
            ${UART_CONSOLE_BACKEND}
    INCLUDE_DIRS ${CMAKE_CURRENT_LIST_DIR}/include
    STACK_SIZE 512 THREADS ${uart_console_threads} PRIORITY ${UART_CONSOLE_PRIORITY}
    FAULT_POLICY restart
    MMIO ${CMRX_BSP_CONSOLE_BASE}:${UART_CONSOLE_MMIO_SIZE}
    IRQS ${CMRX_BSP_CONSOLE_IRQS})
target_link_libraries(cmrxproc_uart_console PRIVATE cmrx_uart)
target_compile_definitions(cmrxproc_uart_console PRIVATE
    UART_BASE=${CMRX_BSP_CONSOLE_BASE}u "UART_IRQS=${uart_console_irqs}" ${UART_CONSOLE_DEFS}
    "UART_CONSOLE_READERS=${uart_console_readers}")
target_compile_options(cmrxproc_uart_console PRIVATE -Wall -Wextra -Werror)
target_compile_options(uart_console_client PRIVATE -Wall -Wextra -Werror)
