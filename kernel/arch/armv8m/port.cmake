# Sources of the armv8m port, for kernel/cmake/cmrx.cmake: its own and the
# ones it shares with the other Cortex-M ports.
set(CMRX_PORT_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/context.S
    ${CMAKE_CURRENT_LIST_DIR}/port.c
    ${CMAKE_CURRENT_LIST_DIR}/../common/cortexm.c
    ${CMAKE_CURRENT_LIST_DIR}/../common/fault_mainline.c
    ${CMAKE_CURRENT_LIST_DIR}/../common/semihost.c
    ${CMAKE_CURRENT_LIST_DIR}/../common/vectors.c)
# Userspace library code the port needs in every process (none here).
set(CMRX_PORT_USER_SOURCES "")
