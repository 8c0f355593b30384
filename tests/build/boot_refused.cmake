# Boot headers the SDK must refuse, each with a message that names the
# problem, on a copy of a board that has one (BOARD_DIR):
#   cmake -DSOURCE=... -DBINARY=... -DBOARD_DIR=... -DCMRX_DIR=... -P boot_refused.cmake
# 1. boot code larger than the header leaves room for: the build fails;
# 2. a boot.size that leaves the vector table where VTOR cannot point:
#    configuring fails, at the key's line.
cmake_minimum_required(VERSION 3.24)

include(${CMAKE_CURRENT_LIST_DIR}/try.cmake)

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
