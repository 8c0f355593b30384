# A firmware that does not fit the board's RAM is reported per process and
# region in the SDK's words (kernel/cmake/link.cmake), not only as the
# linker's section names.
#   cmake -DBINARY=... -DCMRX_DIR=... -P memory_overflow.cmake
cmake_minimum_required(VERSION 3.24)
file(REMOVE_RECURSE "${BINARY}")
include(${CMAKE_CURRENT_LIST_DIR}/one_project.cmake)
# 6 threads of 1 MiB each: more than the board's 4 MiB of RAM.
build_project("${BINARY}/big"
    "#include <cmrx/cmrx.h>\nstatic int m(void *a) { (void)a; return 0; }\nCMRX_THREAD(m, NULL);\n"
    "cmrx_use_board(qemu-mps2-an385)
cmrx_add_process(NAME hog SOURCES proc.c THREADS 6 STACK_SIZE 1048576)
cmrx_add_process(NAME small SOURCES proc.c)
cmrx_add_firmware(NAME fw PROCESSES hog small)
")
if(rc EQUAL 0)
    message(FATAL_ERROR "a firmware larger than the board's RAM was built:\n${out}")
endif()
foreach(want "cmrx: process hog: its thread stacks do not fit in RAM of board qemu-mps2-an385"
        "cmrx: firmware fw needs [0-9]+ bytes more RAM than board qemu-mps2-an385 has")
    if(NOT flat MATCHES "${want}")
        message(FATAL_ERROR "the overflow is not reported as '${want}':\n${out}")
    endif()
endforeach()
if(flat MATCHES "cmrx: process small:")
    message(FATAL_ERROR "a process that fits is blamed:\n${out}")
endif()
