# supervisor: heartbeat watchdog that restarts failed processes with
# back-off and keeps a log of it (see README.md).
#
# Settings (cmrx.yaml `settings: {supervisor: {max: 4}}`, or the CMake
# variables SUPERVISOR_MAX ... set before this file is included):
#   max       processes it can watch, 1..64 (default 8)
#   priority  priority of its watchdog thread, 0..30 (default 1)
#   poll_us   longest time between two checks, 100..1000000 (default 5000)
include_guard(GLOBAL)
cmrx_component_settings(COMPONENT supervisor
    SETTINGS max:1:64:8 priority:0:30:1 poll_us:100:1000000:5000)

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
