# supervisor QEMU test, included by tests/qemu/firmware/CMakeLists.txt.
# Board-independent: runs on every emulated board. Its supervisor watches
# at most four processes, so that a fifth is refused.
set(SUPERVISOR_MAX 4)
include(${CMAKE_CURRENT_LIST_DIR}/../component.cmake)
set(d ${CMAKE_CURRENT_LIST_DIR})
test_process(sv_main SOURCES ${d}/sv_main.c SYSTEM ARGS THREADS 1 PRIORITY 10 LIBS supervisor_client)
foreach(w hang crash flaky steady)
    string(TOUPPER ${w} W)
    set(policy kill-thread)
    if(w STREQUAL "crash")
        set(policy kill-process)
    elseif(w STREQUAL "flaky")
        set(policy restart)
    endif()
    test_process(sv_${w} SOURCES ${d}/sv_worker.c
        ARGS THREADS 1 PRIORITY 12 FAULT_POLICY ${policy} LIBS supervisor_client)
    target_compile_definitions(cmrxproc_sv_${w} PRIVATE SV_${W} SV_NAME="sv_${w}")
endforeach()
qemu_test(NAME supervisor PROCESSES sv_main sv_hang sv_crash sv_flaky sv_steady supervisor
    EXPECT "sv_main: bad calls refused\n"
           "sv_hang: start 0\n.*sv_hang: start 1\n.*sv_hang: start 2\n"
           "\\[supervisor\\] sv_hang: no heartbeat, restart 1 of 2 in 5000 us\n"
           "\\[supervisor\\] sv_hang: no heartbeat, restart 2 of 2 in 10000 us\n"
           "\\[supervisor\\] sv_hang: no heartbeat; given up after 2 restarts in a row, left stopped\n"
           "FAULT process=sv_crash [^\n]*action=kill-process"
           "\\[supervisor\\] sv_crash: killed by a fault, restart 3 of 3 in 8000 us\n"
           "\\[supervisor\\] sv_crash: killed by a fault; given up after 3 restarts in a row, left stopped\n"
           "\\[supervisor\\] sv_flaky: killed by a fault, restarted by its fault policy \\(1 of 3\\)\n"
           "sv_main: log of 16 events checked.*sv_main: watched again after the supervisor restarted\n"
           ".*\\[supervisor\\] sv_steady: restarted by sv_main, not a failure\n"
           ".*\\[supervisor\\] sv_steady: killed by sv_main, left stopped\n"
           ".*sv_main: a kill and a restart on purpose are no failures\n.*PASS")
