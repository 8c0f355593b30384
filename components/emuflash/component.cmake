# emuflash: the block device of the emulated MPS2 boards (see README.md): a
# driver process that gives the memory of the board's qemu.storage (which
# `cmrx run` keeps in a host image file) the semantics of NOR flash.
#
# Settings (set them before this file is included):
#   EMUFLASH_KIB    size of the device in KiB, a power of two (default 1024)
#   EMUFLASH_BLOCK  erase block in bytes (default 4096)
#   EMUFLASH_PAGE   program page in bytes (default 256)
# and (cmrx.yaml `settings: {emuflash: {callers: [...]}}` or EMUFLASH_CALLERS)
#   callers         the processes it serves (default: fs); the kernel
#                   refuses every other caller
include_guard(GLOBAL)
cmrx_component_settings(COMPONENT emuflash SETTINGS callers:names:fs)
cmrx_package_dir(blockdev blockdev_dir)
include(${blockdev_dir}/component.cmake)
foreach(s KIB:1024 BLOCK:4096 PAGE:256)
    string(REPLACE ":" ";" s ${s})
    list(GET s 0 k)
    list(GET s 1 v)
    if(NOT DEFINED EMUFLASH_${k})
        set(EMUFLASH_${k} ${v})
    endif()
endforeach()
if(NOT CMRX_BSP_QEMU_STORAGE_SIZE)
    message(FATAL_ERROR "emuflash: board ${CMRX_BSP_NAME} has no emulated storage (bsp.yaml "
        "qemu.storage); a real board's flash driver comes with its BSP (docs/storage.md)")
endif()
math(EXPR emuflash_bytes "${EMUFLASH_KIB} * 1024")
math(EXPR emuflash_pow2 "${emuflash_bytes} & (${emuflash_bytes} - 1)")
if(emuflash_pow2 OR emuflash_bytes GREATER CMRX_BSP_QEMU_STORAGE_SIZE OR EMUFLASH_KIB LESS 16)
    message(FATAL_ERROR "emuflash: EMUFLASH_KIB ${EMUFLASH_KIB} must be a power of two from 16 "
        "to the board's storage, ${CMRX_BSP_QEMU_STORAGE_SIZE} bytes")
endif()
math(EXPR emuflash_check "(${EMUFLASH_BLOCK} & (${EMUFLASH_BLOCK} - 1)) + (${EMUFLASH_PAGE} & (${EMUFLASH_PAGE} - 1))")
if(emuflash_check OR EMUFLASH_PAGE LESS 4 OR EMUFLASH_PAGE GREATER EMUFLASH_BLOCK
        OR EMUFLASH_BLOCK LESS 64
        OR EMUFLASH_BLOCK GREATER emuflash_bytes)
    message(FATAL_ERROR "emuflash: EMUFLASH_PAGE ${EMUFLASH_PAGE} and EMUFLASH_BLOCK "
        "${EMUFLASH_BLOCK} must be powers of two, 4 <= page <= block <= the device")
endif()
math(EXPR emuflash_base "${CMRX_BSP_QEMU_STORAGE_BASE}" OUTPUT_FORMAT HEXADECIMAL)

# No thread: its methods run on the callers' threads, with a small budget.
# The block-device service (blockdev's, shared with the real boards'
# flashdev) over this driver.
cmrx_component_process(NAME emuflash
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/src/emuflash.c ${BLOCKDEV_FLASH_SERVICE}
    THREADS 0 FAULT_POLICY restart RPC_STACK 256 CALLERS ${EMUFLASH_CALLERS}
    MMIO ${emuflash_base}:${emuflash_bytes})
target_link_libraries(cmrxproc_emuflash PRIVATE blockdev_interface)
target_compile_definitions(cmrxproc_emuflash PRIVATE STORAGE_BASE=${emuflash_base}u
    STORAGE_SIZE=${emuflash_bytes}u EMUFLASH_BLOCK=${EMUFLASH_BLOCK}u
    EMUFLASH_PAGE=${EMUFLASH_PAGE}u)
target_compile_options(cmrxproc_emuflash PRIVATE -Wall -Wextra -Werror)
