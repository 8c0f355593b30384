# Build tests/build/updater (the updater component and an updatable
# process) for one real board from a clean tree:
#   cmake -DBINARY=... -DBOARD=... -DCMRX_DIR=... -DEXPECT=uart:base:irq -P updater.cmake
# Fails unless it builds, and the updater took the UART EXPECT names by
# default (the board's first UART peripheral, cmrx-updater.txt, which
# `cmrx deploy` reads) and the MPU and interrupt table give its process that
# UART's registers and interrupt line.
cmake_minimum_required(VERSION 3.24)

include(${CMAKE_CURRENT_LIST_DIR}/run.cmake)

set(configure ${CMAKE_COMMAND} -S "${CMRX_DIR}/tests/build/updater" -B "${BINARY}" -G Ninja
    "-DCMAKE_TOOLCHAIN_FILE=${CMRX_DIR}/kernel/cmake/toolchain/arm-none-eabi.cmake"
    "-DCMRX_DIR=${CMRX_DIR}" "-DBOARD=${BOARD}")
# A UART that masters the bus (DMA=1: the nRF52840's UARTE) goes to the
# updater only where the project trusts it (settings.updater.dma).
if(DMA)
    file(REMOVE_RECURSE "${BINARY}")
    execute_process(COMMAND ${configure} RESULT_VARIABLE rc OUTPUT_VARIABLE out
        ERROR_VARIABLE out)
    string(REGEX REPLACE "[ \n]+" " " out "${out}")
    if(rc EQUAL 0 OR NOT out MATCHES "updater: the nrf-uarte UART masters the bus \\(DMA\\)")
        message(FATAL_ERROR "FAILED updater for ${BOARD}: a bus-mastering UART was taken "
            "without settings.updater.dma: trusted (${out})")
    endif()
    list(APPEND configure -DUPDATER_DMA=trusted)
endif()
file(REMOVE_RECURSE "${BINARY}")
run(${configure})
run(${CMAKE_COMMAND} --build "${BINARY}" --parallel 2)

string(REPLACE ":" ";" expect "${EXPECT}")
list(GET expect 0 uart)
list(GET expect 1 base)
list(GET expect 2 irq)
string(TOLOWER "${base}" base)
set(failures "")
file(READ "${BINARY}/cmrx-updater.txt" txt)
if(NOT txt STREQUAL "${uart} 115200 ${base} ${irq}\n")
    list(APPEND failures "cmrx-updater.txt says '${txt}', not '${uart} 115200 ${base} ${irq}'")
endif()
file(READ "${BINARY}/updater_fw.cmrx/cmrx_config.c" config)
if(NOT config MATCHES "cmrx_irqs_updater\\[\\] = {${irq}}")
    list(APPEND failures "the updater process does not get interrupt ${irq} alone")
endif()
# An MPU region of the updater at the UART's base: RBAR = base | VALID | n
# (ARMv6-M and ARMv7-M).
string(REGEX REPLACE "^0x(......)..$" "0x\\1" rbar "${base}")
string(REGEX MATCH "\\.name = \"updater\"" named "${config}")
string(REGEX MATCH "__cmrx_p_updater_mpu3[^\n]*\n[^\n]*${rbar}1[0-7]u" region "${config}")
if(NOT named OR NOT region)
    list(APPEND failures "the updater's MPU regions do not start at ${base}")
endif()
if(failures)
    string(REPLACE ";" "\n  " failures "${failures}")
    message(FATAL_ERROR "FAILED updater for ${BOARD}:\n  ${failures}")
endif()
message("OK: updater for ${BOARD} on ${uart} at ${base}, interrupt ${irq}")
