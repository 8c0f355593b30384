# updater: receives process images over a UART and has the kernel switch to
# them (see README.md and docs/updating.md). `cmrx deploy` is its host side.
#
# Settings (cmrx.yaml `settings: {updater: {uart: uart1}}`, or the CMake
# variables UPDATER_UART ... set before this file is included):
#   uart      the bsp.yaml peripheral it receives on (default: the board's
#             first UART peripheral whose driver it knows)
#   baud      its baud rate, 1200..4000000 (default 115200)
#   priority  priority of its thread, 0..30 (default 8)
#   dma       "trusted" lets it drive a UART that masters the bus (the
#             nRF52840's UARTE), which the MPU does not check (default
#             refuse; docs/security.md)
include_guard(GLOBAL)
cmrx_component_settings(COMPONENT updater
    SETTINGS uart:word:auto baud:1200:4000000:115200 priority:0:30:8 dma:word:refuse)

if(UPDATER_UART STREQUAL "auto")
    set(UPDATER_UART "")
    foreach(p ${CMRX_BSP_PERIPHERALS})
        string(TOUPPER "${p}" up)
        if(NOT UPDATER_UART AND CMRX_BSP_PERIPH_${up}_DRIVER IN_LIST CMRX_UART_DRIVERS
           AND CMRX_BSP_PERIPH_${up}_IRQS)
            set(UPDATER_UART ${p})
        endif()
    endforeach()
    if(NOT UPDATER_UART)
        string(REPLACE ";" ", " d "${CMRX_UART_DRIVERS}")
        message(FATAL_ERROR "updater: board ${CMRX_BSP_NAME} names no UART for it: no bsp.yaml "
            "peripheral with an interrupt and a driver it knows (${d}); the console's UART "
            "stays the console's")
    endif()
endif()
string(TOUPPER "${UPDATER_UART}" updater_up)
if(NOT UPDATER_UART IN_LIST CMRX_BSP_PERIPHERALS)
    message(FATAL_ERROR "updater: board ${CMRX_BSP_NAME} has no peripheral '${UPDATER_UART}' "
        "(settings.updater.uart)")
endif()
cmrx_uart_backend(DRIVER "${CMRX_BSP_PERIPH_${updater_up}_DRIVER}" PREFIX updater_hw
    COMPONENT updater DMA "${UPDATER_DMA}")
if(NOT updater_hw_BACKEND OR NOT CMRX_BSP_PERIPH_${updater_up}_IRQS)
    message(FATAL_ERROR "updater: peripheral '${UPDATER_UART}' of board ${CMRX_BSP_NAME} is not "
        "a UART it can drive (driver '${CMRX_BSP_PERIPH_${updater_up}_DRIVER}', interrupts "
        "'${CMRX_BSP_PERIPH_${updater_up}_IRQS}')")
endif()

string(REPLACE ";" "," updater_irqs "${CMRX_BSP_PERIPH_${updater_up}_IRQS}")
set(d ${CMAKE_CURRENT_LIST_DIR})
# UPDATER: it may stage and commit images of updatable processes; it gets
# nothing else but its UART.
cmrx_component_process(NAME updater
    SOURCES ${d}/src/updater.c ${d}/src/wire.c ${updater_hw_BACKEND}
    INCLUDE_DIRS ${d}/include
    STACK_SIZE 1024 THREADS 1 PRIORITY ${UPDATER_PRIORITY}
    PERIPHERALS ${UPDATER_UART} UPDATER)
target_link_libraries(cmrxproc_updater PRIVATE cmrx_uart)
target_compile_definitions(cmrxproc_updater PRIVATE
    UART_BASE=${CMRX_BSP_PERIPH_${updater_up}_BASE}u "UART_IRQS=${updater_irqs}"
    UART_CLOCK_HZ=${CMRX_BSP_PERIPH_${updater_up}_CLOCK_HZ}u UART_BAUD=${UPDATER_BAUD}u
    ${updater_hw_DEFS})
target_compile_options(cmrxproc_updater PRIVATE -Wall -Wextra -Werror)
# For `cmrx deploy`: which UART, at what speed; then its base and interrupt,
# which the build tests check.
string(TOLOWER "${CMRX_BSP_PERIPH_${updater_up}_BASE}" updater_base)
file(WRITE "${CMAKE_BINARY_DIR}/cmrx-updater.txt"
    "${UPDATER_UART} ${UPDATER_BAUD} ${updater_base} ${updater_irqs}\n")
