# gpio: the board's pins as a service, with per-process ownership (see
# README.md).
#
# Settings (set them before this file is included):
#   GPIO_BACKEND, GPIO_BASE, GPIO_MMIO, GPIO_PINS, GPIO_RESERVED
#       for a board backend.cmake does not know (see there)
include_guard(GLOBAL)
include(${CMAKE_CURRENT_LIST_DIR}/backend.cmake)
if(NOT GPIO_BACKEND)
    message(FATAL_ERROR "gpio: no backend for board ${CMRX_BSP_NAME}; it knows qemu-mps2-an385, "
        "-an386, -an500, -an505 (FPGA I/O), qemu-netduinoplus2 (STM32F4) and nrf52840-dk (nRF52). "
        "For another board with one of these, set GPIO_BACKEND, GPIO_BASE, GPIO_MMIO, "
        "GPIO_PINS and GPIO_RESERVED (components/gpio/backend.cmake)")
endif()

cmrx_component_library(NAME gpio_client
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/src/client.c
    INCLUDE_DIRS ${CMAKE_CURRENT_LIST_DIR}/include)

set(gpio_reserved "")
foreach(p ${GPIO_RESERVED})
    string(APPEND gpio_reserved "${p},")
endforeach()
# No thread of its own: the methods run on the callers' threads. A fault
# restarts it with every pin free.
cmrx_component_process(NAME gpio
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/src/driver.c ${CMAKE_CURRENT_LIST_DIR}/src/${GPIO_BACKEND}
    INCLUDE_DIRS ${CMAKE_CURRENT_LIST_DIR}/include
    THREADS 0 FAULT_POLICY restart
    MMIO ${GPIO_MMIO})
target_compile_definitions(cmrxproc_gpio PRIVATE
    GPIO_BASE=${GPIO_BASE}u GPIO_PINS=${GPIO_PINS}u "GPIO_RESERVED=${gpio_reserved}")
target_compile_options(cmrxproc_gpio PRIVATE -Wall -Wextra -Werror)
target_compile_options(gpio_client PRIVATE -Wall -Wextra -Werror)
