# flashdev: the block device of a real board (see README.md): a driver
# process that serves blockdev_storage over the storage range of the
# board's flash, with the flash driver its BSP names (bsp.yaml
# `storage.driver`, implementing flash_hw.h).
#
# Settings (cmrx.yaml `settings: {flashdev: {callers: [...]}}`, or
# FLASHDEV_CALLERS before this file is included):
#   callers    the processes it serves (default: fs); the kernel refuses
#              every other caller
include_guard(GLOBAL)
cmrx_component_settings(COMPONENT flashdev SETTINGS callers:names:fs)
cmrx_package_dir(blockdev blockdev_dir)
include(${blockdev_dir}/component.cmake)
if(NOT CMRX_BSP_STORAGE_DRIVER)
    message(FATAL_ERROR "flashdev: board ${CMRX_BSP_NAME} names no flash for storage (bsp.yaml "
        "storage:); on the emulated boards the emuflash component is the block device "
        "(docs/storage.md)")
endif()
math(EXPR flashdev_base "${CMRX_BSP_STORAGE_BASE}" OUTPUT_FORMAT HEXADECIMAL)
# It may write the storage range and the flash controller, nothing else. A
# board without a controller for the driver (the RP2040, which executes in
# place from the flash it would program) has the kernel program the flash:
# the process gets the right to ask (FLASH, cmrx_flash_op()) instead.
set(flashdev_mmio ${flashdev_base}:${CMRX_BSP_STORAGE_SIZE})
set(flashdev_right "")
if(CMRX_BSP_STORAGE_CONTROLLER_SIZE GREATER 0)
    math(EXPR flashdev_ctl "${CMRX_BSP_STORAGE_CONTROLLER_BASE}" OUTPUT_FORMAT HEXADECIMAL)
    list(APPEND flashdev_mmio ${flashdev_ctl}:${CMRX_BSP_STORAGE_CONTROLLER_SIZE})
else()
    set(flashdev_right FLASH)
endif()
# No thread: its methods run on the callers' threads.
cmrx_component_process(NAME flashdev
    SOURCES ${CMRX_BSP_STORAGE_DRIVER} ${BLOCKDEV_FLASH_SERVICE}
    THREADS 0 FAULT_POLICY restart RPC_STACK 256 CALLERS ${FLASHDEV_CALLERS} ${flashdev_right}
    MMIO ${flashdev_mmio})
target_link_libraries(cmrxproc_flashdev PRIVATE blockdev_interface)
target_compile_definitions(cmrxproc_flashdev PRIVATE STORAGE_BASE=${flashdev_base}u
    STORAGE_SIZE=${CMRX_BSP_STORAGE_SIZE}u)
target_compile_options(cmrxproc_flashdev PRIVATE -Wall -Wextra -Werror)
