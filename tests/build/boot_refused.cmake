# Boot headers the SDK must refuse, each with a message that names the
# problem, on a copy of a board that has one (BOARD_DIR):
#   cmake -DSOURCE=... -DBINARY=... -DBOARD_DIR=... -DCMRX_DIR=... -P boot_refused.cmake
# 1. boot code larger than the header leaves room for: the build fails;
# 2. a boot.size that leaves the vector table where VTOR cannot point:
#    configuring fails, at the key's line.
cmake_minimum_required(VERSION 3.24)

set(failures "")

# try(NAME BUILD|CONFIGURE "regex"): configure (and build) the example for
# BINARY/NAME/board; it must fail at the given step with output matching.
function(try name step regex)
    set(dir "${BINARY}/${name}")
    execute_process(COMMAND ${CMAKE_COMMAND} -S "${SOURCE}" -B "${dir}/build" -G Ninja
        "-DCMAKE_TOOLCHAIN_FILE=${CMRX_DIR}/kernel/cmake/toolchain/arm-none-eabi.cmake"
        "-DCMRX_DIR=${CMRX_DIR}" "-DBOARD=${dir}/board"
        RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
    set(failed_at "")
    if(NOT rc EQUAL 0)
        set(failed_at CONFIGURE)
    else()
        execute_process(COMMAND ${CMAKE_COMMAND} --build "${dir}/build" --parallel 2
            RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
        if(NOT rc EQUAL 0)
            set(failed_at BUILD)
        endif()
    endif()
    # CMake wraps configure errors across lines.
    string(REGEX REPLACE "[ \t\r\n]+" " " flat "${out}")
    if(NOT failed_at STREQUAL step)
        set(failures "${failures}\n  ${name}: expected to fail at ${step}, got '${failed_at}':\n${out}"
            PARENT_SCOPE)
    elseif(NOT flat MATCHES "${regex}")
        set(failures "${failures}\n  ${name}: the message does not match '${regex}':\n${out}"
            PARENT_SCOPE)
    endif()
endfunction()

file(REMOVE_RECURSE "${BINARY}")

# 1. 130 NOPs and a BX: 262 bytes, 10 more than the 252 before the CRC.
file(COPY "${BOARD_DIR}/" DESTINATION "${BINARY}/too-large/board")
file(WRITE "${BINARY}/too-large/board/boot2.S"
    "    .syntax unified\n    .thumb\n    .section .text.boot2, \"ax\"\n"
    "    .rept 130\n    nop\n    .endr\n    bx lr\n")
try(too-large BUILD
    "cmrx: error: boot.source [^ ]*/too-large/board/boot2.S is 262 bytes, but the boot header has room for 252")

# 2. 128 bytes would put the vector table at 0x10000080; the M0+ needs 256.
file(COPY "${BOARD_DIR}/" DESTINATION "${BINARY}/misaligned/board")
file(READ "${BINARY}/misaligned/board/bsp.yaml" yaml)
string(REPLACE "  size: 256\n" "  size: 128\n" yaml "${yaml}")
file(WRITE "${BINARY}/misaligned/board/bsp.yaml" "${yaml}")
try(misaligned CONFIGURE
    "bsp.yaml:[0-9]+: 'boot.size' 128 puts the vector table at 0x10000080, but VTOR needs a 256-byte boundary")

if(failures)
    message(FATAL_ERROR "FAILED:${failures}")
endif()
message("OK: a boot header too small for its code, or one that misplaces the vector table, is "
    "refused with a message that says so")
