# queue-server QEMU test, included by tests/qemu/firmware/CMakeLists.txt.
# Board-independent: runs on every emulated board.
# Queues 2 and 3 are kept for qs_doomed and qs_main (qs_test.h).
set(QUEUE_SERVER_OWNERS "2:qs_doomed;3:qs_main")
# Parts of the pool kept for qs_main and qs_prod_c (bytes).
set(qs_main_part 512)
set(qs_prod_c_part 16)
set(QUEUE_SERVER_RESERVE "${qs_main_part}:qs_main;${qs_prod_c_part}:qs_prod_c")
include(${CMAKE_CURRENT_LIST_DIR}/../component.cmake)
set(d ${CMAKE_CURRENT_LIST_DIR})
test_process(qs_main SOURCES ${d}/qs_main.c SYSTEM
    ARGS THREADS 2 PRIORITY 13 LIBS queue_client INCLUDE_DIRS ${d})
# Producers at three priorities, all above the consumer: the queue is full
# all the time, and admission alone decides who goes next.
test_process(qs_prod_a SOURCES ${d}/qs_prod.c ARGS THREADS 2 PRIORITY 10 LIBS queue_client INCLUDE_DIRS ${d})
test_process(qs_prod_b SOURCES ${d}/qs_prod.c ARGS THREADS 1 PRIORITY 11 LIBS queue_client INCLUDE_DIRS ${d})
test_process(qs_prod_c SOURCES ${d}/qs_prod.c ARGS THREADS 1 PRIORITY 12 LIBS queue_client INCLUDE_DIRS ${d})
target_compile_definitions(cmrxproc_qs_prod_a PRIVATE PRODUCER_FIRST=0u PRODUCER_THREADS=2u)
target_compile_definitions(cmrxproc_qs_prod_b PRIVATE PRODUCER_FIRST=2u PRODUCER_CHECKS)
target_compile_definitions(cmrxproc_qs_prod_c PRIVATE PRODUCER_FIRST=3u PRODUCER_CONSUMES
    QS_PROD_C_PART=${qs_prod_c_part})
target_compile_definitions(cmrxproc_qs_main PRIVATE QS_MAIN_PART=${qs_main_part}
    QS_PROD_C_PART=${qs_prod_c_part})
# Killed by qs_main while it waits in the server (above qs_main: it runs
# at once when the kill wakes it).
test_process(qs_doomed SOURCES ${d}/qs_doomed.c ARGS THREADS 1 PRIORITY 12 LIBS queue_client INCLUDE_DIRS ${d})
# Killed after a slot was promised to it, before it ran (below qs_main).
test_process(qs_late SOURCES ${d}/qs_late.c ARGS THREADS 1 PRIORITY 20 LIBS queue_client INCLUDE_DIRS ${d})
# Takes all of the pool it may when qs_main restarts it.
test_process(qs_hog SOURCES ${d}/qs_hog.c ARGS THREADS 1 PRIORITY 20 LIBS queue_client INCLUDE_DIRS ${d})
qemu_test(NAME queue_server PROCESSES qs_main qs_prod_a qs_prod_b qs_prod_c queue_server qs_doomed
    qs_late qs_hog
    EXPECT "qs_main: bad calls refused\n"
           "producer 2: consumer-only calls refused\n"
           "producer 0: sent 150\n" "producer 1: sent 150\n" "producer 2: sent 150\n"
           "producer 3: sent 150\n"
           "qs_main: 600 messages from 4 producers, none lost, spread at most [0-5]\n"
           "process qs_prod_c killed\n.*qs_main: took over the queue of a killed consumer\n"
           ".*qs_main: a killed sender left the server and its queue whole\n"
           "qs_main: the queue kept for a killed consumer was not taken over\n"
           ".*qs_main: a slot promised to a killed sender went to the next one\n"
           ".*qs_main: a promised slot of a destroyed queue stayed unwritten\n"
           ".*qs_main: its part of the pool stayed its own when another process took the rest\n.*PASS"
    REJECT "did not return from" "qs_doomed: send returned" "qs_late: send returned")
# A hostile process takes over the queue of a consumer waiting out its
# restart back-off, and reads what was sent to it.
test_process(qs_rvictim SOURCES ${d}/qs_rvictim.c SYSTEM
    ARGS THREADS 1 PRIORITY 13 FAULT_POLICY restart LIBS queue_client INCLUDE_DIRS ${d})
test_process(qs_thief SOURCES ${d}/qs_thief.c ARGS THREADS 1 PRIORITY 12 LIBS queue_client INCLUDE_DIRS ${d})
qemu_test(NAME queue_restart PROCESSES qs_rvictim qs_thief queue_server LABELS attack
    EXPECT "qs_rvictim: kept its queue and message through its restarts\n.*qs_thief: never got the queue\n.*PASS"
    REJECT "ATTACK SUCCEEDED")
