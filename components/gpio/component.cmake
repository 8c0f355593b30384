# gpio: the board's pins as a service, with per-process ownership (see
# README.md). The board's GPIO block is the first peripheral of its bsp.yaml
# whose driver backend.cmake knows.
#
# Settings (cmrx.yaml `settings: {gpio: {owners: ["0:blinker"]}}`, or the
# CMake variable GPIO_OWNERS set before this file is included):
#   owners   pins kept for one process each, PIN:process: no other process
#            claims or reads them, whether the owner runs or not
include_guard(GLOBAL)
include(${CMAKE_CURRENT_LIST_DIR}/backend.cmake)
if(NOT GPIO_BACKEND)
    string(REPLACE ";" ", " gpio_known "${GPIO_DRIVERS}")
    message(FATAL_ERROR "gpio: board ${CMRX_BSP_NAME} names no GPIO peripheral this component "
        "drives (drivers ${gpio_known}); add one to its bsp.yaml `peripherals:`, or a backend "
        "for its GPIO block (components/gpio/backend.cmake)")
endif()
math(EXPR gpio_last "${GPIO_PINS} - 1")
cmrx_component_settings(COMPONENT gpio SETTINGS owners:owners:0:${gpio_last})

cmrx_component_library(NAME gpio_client
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/src/client.c
    INCLUDE_DIRS ${CMAKE_CURRENT_LIST_DIR}/include)

# The peripheral's macros name it (CMRX_PERIPH_GPIO0_...): the driver gets
# them under one name, whatever the board calls its block.
string(TOUPPER "${GPIO_PERIPHERAL}" gpio_up)
set(gpio_reserved "")
foreach(p ${CMRX_BSP_PERIPH_${gpio_up}_RESERVED})
    string(APPEND gpio_reserved "${p},")
endforeach()
# No thread of its own: the methods run on the callers' threads. A fault
# restarts it with every pin free.
cmrx_component_process(NAME gpio
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/src/driver.c ${CMAKE_CURRENT_LIST_DIR}/src/${GPIO_BACKEND}
    INCLUDE_DIRS ${CMAKE_CURRENT_LIST_DIR}/include
    THREADS 0 FAULT_POLICY restart
    PERIPHERALS ${GPIO_PERIPHERAL})
target_compile_definitions(cmrxproc_gpio PRIVATE
    GPIO_BASE=CMRX_PERIPH_${gpio_up}_BASE GPIO_PINS=${GPIO_PINS}u
    "GPIO_RESERVED=${gpio_reserved}" "GPIO_OWNERS=\"${GPIO_OWNERS}\"")
target_compile_options(cmrxproc_gpio PRIVATE -Wall -Wextra -Werror)
target_compile_options(gpio_client PRIVATE -Wall -Wextra -Werror)
