# supervisor: heartbeat watchdog that restarts failed processes with
# back-off and keeps a log of it (see README.md).
#
# Settings (set them before this file is included):
#   SUPERVISOR_MAX       processes it can watch (default 8)
#   SUPERVISOR_PRIORITY  priority of its watchdog thread (default 1)
#   SUPERVISOR_POLL_US   longest time between two checks (default 5000)
include_guard(GLOBAL)
if(NOT DEFINED SUPERVISOR_MAX)
    set(SUPERVISOR_MAX 8)
endif()
if(NOT DEFINED SUPERVISOR_PRIORITY)
    set(SUPERVISOR_PRIORITY 1)
endif()
if(NOT DEFINED SUPERVISOR_POLL_US)
    set(SUPERVISOR_POLL_US 5000)
endif()

cmrx_component_library(NAME supervisor_client
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/src/client.c
    INCLUDE_DIRS ${CMAKE_CURRENT_LIST_DIR}/include)

# SYSTEM: it kills and restarts other processes. Should it fault, it
# restarts with an empty table; the processes watch() it again on their
# next restart only, so it is written not to.
cmrx_component_process(NAME supervisor
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/src/supervisor.c
    INCLUDE_DIRS ${CMAKE_CURRENT_LIST_DIR}/include
    STACK_SIZE 1024 THREADS 1 PRIORITY ${SUPERVISOR_PRIORITY}
    FAULT_POLICY restart SYSTEM)
target_compile_definitions(cmrxproc_supervisor PRIVATE
    SUPERVISOR_MAX=${SUPERVISOR_MAX}u SUPERVISOR_POLL_US=${SUPERVISOR_POLL_US}u)
target_compile_options(cmrxproc_supervisor PRIVATE -Wall -Wextra -Werror)
target_compile_options(supervisor_client PRIVATE -Wall -Wextra -Werror)
