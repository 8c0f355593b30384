# queue-server: bounded message queues between processes (see README.md).
#
# Settings (set them before this file is included):
#   QUEUE_SERVER_POLICY  its fault policy (default restart: a fault empties every queue)
include_guard(GLOBAL)
if(NOT DEFINED QUEUE_SERVER_POLICY)
    set(QUEUE_SERVER_POLICY restart)
endif()

cmrx_component_library(NAME queue_client
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/src/client.c
    INCLUDE_DIRS ${CMAKE_CURRENT_LIST_DIR}/include)

# No thread of its own: the methods run on the callers' threads.
cmrx_component_process(NAME queue_server
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/src/server.c
    INCLUDE_DIRS ${CMAKE_CURRENT_LIST_DIR}/include
    THREADS 0 FAULT_POLICY ${QUEUE_SERVER_POLICY})
target_compile_options(cmrxproc_queue_server PRIVATE -Wall -Wextra -Werror)
target_compile_options(queue_client PRIVATE -Wall -Wextra -Werror)
