# Sources of the sim port (board `host`: the firmware as one Linux
# program), for kernel/cmake/cmrx.cmake.
set(CMRX_PORT_SOURCES ${CMAKE_CURRENT_LIST_DIR}/port.c ${CMAKE_CURRENT_LIST_DIR}/../common/record_ctx.c)
# Every process's side of a system call: the gate into the kernel.
set(CMRX_PORT_USER_SOURCES ${CMAKE_CURRENT_LIST_DIR}/user/gate.c)
