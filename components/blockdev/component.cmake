# blockdev: the RPC interface between a block-device driver process and its
# users (the fs component); a header, no process (see README.md).
include_guard(GLOBAL)
add_library(blockdev_interface INTERFACE)
target_include_directories(blockdev_interface INTERFACE ${CMAKE_CURRENT_LIST_DIR}/include)
# flash_hw.h, the flash driver interface, is the kernel's (its slots use it too).
target_link_libraries(blockdev_interface INTERFACE cmrx_flash_hw)
# The block-device service over a flash driver (flash_hw.h), which a driver
# process compiles with its driver and STORAGE_BASE, STORAGE_SIZE.
set(BLOCKDEV_FLASH_SERVICE ${CMAKE_CURRENT_LIST_DIR}/src/flash_service.c)
