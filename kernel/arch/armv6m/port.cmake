# Sources of the armv6m port, for kernel/cmake/cmrx.cmake: its own and the
# ones it shares with the other Cortex-M ports.
set(CMRX_PORT_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/context.S
    ${CMAKE_CURRENT_LIST_DIR}/fault.c
    ${CMAKE_CURRENT_LIST_DIR}/port.c
    ${CMAKE_CURRENT_LIST_DIR}/thumb_decode.c
    ${CMAKE_CURRENT_LIST_DIR}/../common/cortexm.c
    ${CMAKE_CURRENT_LIST_DIR}/../common/pmsav7.c
    ${CMAKE_CURRENT_LIST_DIR}/../common/semihost.c
    ${CMAKE_CURRENT_LIST_DIR}/../common/vectors.c)
# Userspace library code every process may need: the atomics behind the
# __atomic builtins (and so behind cmrx_mutex_*), restartable by the port.
set(CMRX_PORT_USER_SOURCES ${CMAKE_CURRENT_LIST_DIR}/user/atomic.c)
