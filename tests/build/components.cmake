# Build tests/build/components (every component the board supports) for
# one board from a clean tree:
#   cmake -DBINARY=... -DBOARD=... -DCMRX_DIR=... -P components.cmake
# Fails unless it builds, every component process is in the firmware's
# memory table with code of its own, and the firmware fits the board. On a
# board whose kernel programs the storage flash (bsp.yaml storage without a
# controller: the RP2040), also unless the flash driver's process alone
# holds the right `flash` and the kernel's flash routine lies in RAM and
# reaches nothing in flash (ram_code.py).
cmake_minimum_required(VERSION 3.24)

include(${CMAKE_CURRENT_LIST_DIR}/run.cmake)

file(REMOVE_RECURSE "${BINARY}")
run(${CMAKE_COMMAND} -S "${CMRX_DIR}/tests/build/components" -B "${BINARY}" -G Ninja
    "-DCMAKE_TOOLCHAIN_FILE=${CMRX_DIR}/kernel/cmake/toolchain/arm-none-eabi.cmake"
    "-DCMRX_DIR=${CMRX_DIR}" "-DBOARD=${BOARD}" "-DLITTLEFS_DIR=${LITTLEFS_DIR}")
run(${CMAKE_COMMAND} --build "${BINARY}" --parallel 2)
message("${out}")

include("${BINARY}/cmrx-board/bsp.cmake")
file(READ "${BINARY}/processes.txt" expected)
file(READ "${BINARY}/components.size.json" json)
set(failures "")
string(JSON n LENGTH "${json}" processes)
math(EXPR last "${n} - 1")
set(found "")
foreach(i RANGE ${last})
    string(JSON name GET "${json}" processes ${i} name)
    string(JSON flash GET "${json}" processes ${i} flash)
    if(NOT flash GREATER 0)
        list(APPEND failures "process ${name} has no code")
    endif()
    list(APPEND found ${name})
endforeach()
foreach(p ${expected})
    if(NOT p IN_LIST found)
        list(APPEND failures "process ${p} is not in the firmware")
    endif()
endforeach()
string(JSON flash_used GET "${json}" flash_used)
string(JSON ram_used GET "${json}" ram_used)
if(NOT flash_used LESS_EQUAL CMRX_BSP_FLASH_SIZE OR NOT ram_used LESS_EQUAL CMRX_BSP_RAM_SIZE)
    list(APPEND failures "flash ${flash_used} or RAM ${ram_used} does not fit the board")
endif()
if(CMRX_BSP_STORAGE_DRIVER AND NOT CMRX_BSP_STORAGE_CONTROLLER_SIZE GREATER 0)
    if("flashdev" IN_LIST expected)
        file(READ "${BINARY}/components.cmrx/cmrx_config.c" config)
        string(REGEX MATCHALL "\\.name = \"[a-z_]+\"|CMRX_PROC_FLASH" rights "${config}")
        string(REGEX MATCHALL "[a-z_]+\"[^;]*;CMRX_PROC_FLASH" holders "${rights}")
        string(REPLACE "\";CMRX_PROC_FLASH" "" holders "${holders}")
        if(NOT holders STREQUAL "flashdev")
            list(APPEND failures "the right flash is held by '${holders}', not by flashdev alone")
        endif()
    endif()
    # Every address the flash answers at: the XIP window with its aliases
    # (RP2040 datasheet 2.2, 0x10000000..0x13ffffff).
    math(EXPR flash_hi "${CMRX_BSP_FLASH_BASE} + 0x4000000")
    math(EXPR ram_hi "${CMRX_BSP_RAM_BASE} + ${CMRX_BSP_RAM_SIZE}")
    find_program(PYTHON3 python3 REQUIRED)
    execute_process(COMMAND ${PYTHON3} "${CMAKE_CURRENT_LIST_DIR}/ram_code.py"
        "${BINARY}/components.elf" "${OBJDUMP}" ${CMRX_BSP_FLASH_BASE} ${flash_hi}
        ${CMRX_BSP_RAM_BASE} ${ram_hi}
        RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
    message("${out}")
    if(NOT rc EQUAL 0)
        list(APPEND failures "the kernel's flash routine: ${out}")
    endif()
endif()
if(failures)
    string(REPLACE ";" "\n  " failures "${failures}")
    message(FATAL_ERROR "FAILED components for ${BOARD}:\n  ${failures}")
endif()
message("OK: components for ${BOARD}: ${expected}")
