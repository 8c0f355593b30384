# queue-server: bounded message queues between processes (see README.md).
#
# Settings (cmrx.yaml `settings: {queue-server: {...}}`, or CMake variables
# QUEUE_SERVER_<KEY> before this file is included):
#   owners   queues kept for one process each, ID:process ([3:logger]):
#            no other process creates or takes over queue ID
#   reserve  parts of the pool kept for one process each, BYTES:process
#            ([1024:logger]; multiples of 4, together at most the pool):
#            its queues go there first, no other process's ever do
# and (CMake only) QUEUE_SERVER_POLICY, its fault policy (default restart:
# a fault empties every queue).
include_guard(GLOBAL)
if(NOT DEFINED QUEUE_SERVER_POLICY)
    set(QUEUE_SERVER_POLICY restart)
endif()
# Queue ids are 0 .. QUEUE_MAX - 1 and the pool QUEUE_POOL bytes, as
# queue_server.h says.
foreach(m QUEUE_MAX QUEUE_POOL)
    file(STRINGS ${CMAKE_CURRENT_LIST_DIR}/include/queue_server.h v REGEX "^#define ${m} +[0-9]+u?")
    string(REGEX REPLACE "^#define ${m} +([0-9]+).*" "\\1" qs_${m} "${v}")
endforeach()
math(EXPR queue_last "${qs_QUEUE_MAX} - 1")
cmrx_component_settings(COMPONENT queue-server SETTINGS owners:owners:0:${queue_last}
    reserve:counts:4:${qs_QUEUE_POOL})
# The parts kept: whole words, together within the pool, one per queue at most.
cmrx_counts_check(COMPONENT queue-server KEY reserve UNIT bytes TOTAL ${qs_QUEUE_POOL}
    OF "the pool" ENTRIES ${qs_QUEUE_MAX} MULTIPLE 4)

cmrx_component_library(NAME queue_client
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/src/client.c
    INCLUDE_DIRS ${CMAKE_CURRENT_LIST_DIR}/include)

# No thread of its own: the methods run on the callers' threads.
cmrx_component_process(NAME queue_server
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/src/server.c
    INCLUDE_DIRS ${CMAKE_CURRENT_LIST_DIR}/include
    THREADS 0 FAULT_POLICY ${QUEUE_SERVER_POLICY})
target_compile_options(cmrxproc_queue_server PRIVATE -Wall -Wextra -Werror)
target_compile_definitions(cmrxproc_queue_server PRIVATE
    QUEUE_SERVER_OWNERS="${QUEUE_SERVER_OWNERS}" QUEUE_SERVER_RESERVE="${QUEUE_SERVER_RESERVE}")
target_compile_options(queue_client PRIVATE -Wall -Wextra -Werror)
