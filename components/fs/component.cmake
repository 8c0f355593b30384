# fs: littlefs in a process of its own, files for every other process over
# RPC (see docs/storage.md). Needs littlefs (the registry's
# `littlefs` package) and a block-device driver serving blockdev_storage
# (the emuflash component on the emulated boards, the BSP's flash driver on
# a real one).
#
# Settings (cmrx.yaml's `settings: {fs: {key: value}}`, or CMake variables
# FS_<KEY> set before this file is included):
#   open_files      handles open at once, files and directories     (4)
#   path_max        longest path, bytes                             (128)
#   cache_size      littlefs's cache per file and for reads/writes  (256)
#                   a multiple of the device's page that divides its block
#   lookahead_size  bytes of the allocator's bitmap, multiple of 8  (16)
#   block_cycles    erases of a metadata block before wear levelling moves it (500)
#   owners          top-level directories kept for one process each,
#                   /dir:process ([/logs:logger]): every call of any other
#                   process that names the directory or a path in it gets
#                   CMRX_EPERM, whether the owner runs or not           (none)
#   format          the processes that may call fs_format() ([setup]);
#                   required with owners, as a format erases every
#                   directory (none given: every process may)           (none)
#   reserve         open files kept for processes, N:process ([1:logger]):
#                   each may always hold N, whoever holds the rest
#                   (together at most open_files)                       (none)
#   space           disk blocks kept for processes, N:process ([16:logger]):
#                   no other process's call may take a block while the
#                   free ones would fall below their sum; pooled, a named
#                   process may use them all                          (none)
include_guard(GLOBAL)
cmrx_package_dir(blockdev blockdev_dir)
include(${blockdev_dir}/component.cmake)

# Blocks `space` may keep, each entry and all together (fs counts them in 32 bits;
# no device it serves has more).
set(fs_space_max 65535)
cmrx_component_settings(COMPONENT fs SETTINGS open_files:1:32:4 path_max:16:255:128
    cache_size:16:4096:256 lookahead_size:8:1024:16 block_cycles:100:100000:500 owners:dirs
    format:names: reserve:counts:1:${FS_OPEN_FILES} space:counts:1:${fs_space_max})
# What is kept must fit in the table, in the entries fs reads.
cmrx_counts_check(COMPONENT fs KEY reserve UNIT "open files" TOTAL ${FS_OPEN_FILES}
    OF "'open_files'")
# The device's size is known at run time only (the driver's geometry): the
# build bounds the sum, fs reads the entries as it reads `reserve`'s.
cmrx_counts_check(COMPONENT fs KEY space UNIT blocks TOTAL ${fs_space_max} OF "what fs counts")
math(EXPR fs_check "${FS_LOOKAHEAD_SIZE} % 8 + (${FS_CACHE_SIZE} % 8)")
if(fs_check)
    message(FATAL_ERROR "fs: cache_size (${FS_CACHE_SIZE}) and lookahead_size "
        "(${FS_LOOKAHEAD_SIZE}) must be multiples of 8")
endif()
if(FS_OWNERS AND NOT FS_FORMAT)
    message(FATAL_ERROR "fs: setting 'owners' keeps directories (${FS_OWNERS}), which a format "
        "would erase with everything else: name the processes that may call fs_format() in "
        "setting 'format' (cmrx.yaml: settings.fs.format, CMake: FS_FORMAT)")
endif()
# `format` as the elements of a C array of strings ("a","b",).
set(fs_formatters "")
foreach(p ${FS_FORMAT})
    string(APPEND fs_formatters "\"${p}\",")
endforeach()

# littlefs's sources: the littlefs package cmrx fetched, or LITTLEFS_DIR.
if(NOT LITTLEFS_DIR)
    cmrx_package_dir(littlefs LITTLEFS_DIR)
endif()
if(NOT EXISTS "${LITTLEFS_DIR}/lfs.c")
    message(FATAL_ERROR "fs: littlefs's sources are not at '${LITTLEFS_DIR}' (`cmrx add fs` "
        "fetches the littlefs package; with plain CMake, set LITTLEFS_DIR)")
endif()

set(d ${CMAKE_CURRENT_LIST_DIR})
add_library(fs_config INTERFACE)
target_include_directories(fs_config INTERFACE ${d}/include)
target_compile_definitions(fs_config INTERFACE FS_OPEN_MAX=${FS_OPEN_FILES}
    FS_PATH_MAX=${FS_PATH_MAX} FS_CACHE_SIZE=${FS_CACHE_SIZE}
    FS_LOOKAHEAD_SIZE=${FS_LOOKAHEAD_SIZE} FS_BLOCK_CYCLES=${FS_BLOCK_CYCLES})
target_link_libraries(fs_config INTERFACE cmrx_user)

# littlefs itself, compiled as its authors write it, without malloc or stdio.
add_library(fs_littlefs OBJECT ${LITTLEFS_DIR}/lfs.c ${LITTLEFS_DIR}/lfs_util.c)
target_include_directories(fs_littlefs PUBLIC ${LITTLEFS_DIR})
target_compile_definitions(fs_littlefs PUBLIC LFS_NO_MALLOC LFS_NO_DEBUG LFS_NO_WARN
    LFS_NO_ERROR)
target_compile_options(fs_littlefs PRIVATE $<$<COMPILE_LANGUAGE:C>:-std=gnu11> -fvisibility=hidden
    -include ${d}/src/lfs_port.h)
target_link_libraries(fs_littlefs PUBLIC cmrx_user)

# The kept directories and who may format: what the service reads.
add_library(fs_policy INTERFACE)
target_compile_definitions(fs_policy INTERFACE "FS_OWNERS=\"${FS_OWNERS}\""
    "FS_FORMATTERS=${fs_formatters}" "FS_RESERVE=\"${FS_RESERVE}\"" "FS_SPACE=\"${FS_SPACE}\"")

# The client library every process with files links.
cmrx_component_library(NAME fs_client SOURCES ${d}/src/client.c INCLUDE_DIRS ${d}/include)
target_link_libraries(fs_client PRIVATE fs_config)
target_compile_options(fs_client PRIVATE -Wall -Wextra -Werror)

# The file system's own sources, also used by the single-process benchmark build.
set(FS_SOURCES ${d}/src/server.c ${d}/src/paths.c)
# No thread of its own: the methods run on the callers' threads (littlefs
# down to the driver's budget).
cmrx_component_process(NAME fs SOURCES ${FS_SOURCES}
    THREADS 0 FAULT_POLICY restart RPC_STACK 2048
    LIBS fs_littlefs)
target_link_libraries(cmrxproc_fs PRIVATE fs_config fs_policy blockdev_interface)
target_compile_options(cmrxproc_fs PRIVATE -Wall -Wextra -Werror)
