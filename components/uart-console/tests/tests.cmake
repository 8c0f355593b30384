# uart-console QEMU test, included by tests/qemu/firmware/CMakeLists.txt
# (which provides test_process() and qemu_test()). Runs on every board
# whose console UART has a backend.
include(${CMAKE_CURRENT_LIST_DIR}/../backend.cmake)
if(UART_CONSOLE_BACKEND)
    # The input is con_main's (and con_doomed's, which waits for more):
    # con_snoop is refused.
    set(UART_CONSOLE_READERS con_main con_doomed)
    include(${CMAKE_CURRENT_LIST_DIR}/../component.cmake)
    set(d ${CMAKE_CURRENT_LIST_DIR})
    test_process(con_main SOURCES ${d}/con_main.c SYSTEM
        ARGS THREADS 1 PRIORITY 10 LIBS uart_console_client INCLUDE_DIRS ${d})
    test_process(con_peer SOURCES ${d}/con_peer.c ARGS THREADS 1 PRIORITY 11 LIBS uart_console_client)
    test_process(con_doomed SOURCES ${d}/con_doomed.c ARGS THREADS 1 PRIORITY 12
        LIBS uart_console_client INCLUDE_DIRS ${d})
    test_process(con_snoop SOURCES ${d}/con_snoop.c ARGS THREADS 1 PRIORITY 9
        LIBS uart_console_client INCLUDE_DIRS ${d})
    # What the UART receives: a line, then 200 pattern bytes (con_main.c).
    set(pattern "")
    foreach(i RANGE 0 199)
        math(EXPR c "${i} % 26")
        string(SUBSTRING "abcdefghijklmnopqrstuvwxyz" ${c} 1 ch)
        string(APPEND pattern "${ch}")
    endforeach()
    file(WRITE ${CMAKE_BINARY_DIR}/uart_console.input "hello, uart-console\r\n${pattern}")
    set(l "abcdefghijklmnopqrstuvwxyz\n")
    set(big "")
    foreach(i RANGE 1 59)
        string(APPEND big "0123456789")
    endforeach()
    qemu_test(NAME uart_console PROCESSES con_main con_peer uart_console con_doomed con_snoop
        INPUT ${CMAKE_BINARY_DIR}/uart_console.input
        EXPECT "con_main: 42 formatted through uart-console\n"
               "con_main: bad calls refused\n.*con_peer: line 0 ${l}"
               "con_main: line 0 ${l}" "con_main: line 9 ${l}"
               "con_peer: line 5 ${l}" "con_peer: line 9 ${l}"
               "con_main: received 221 bytes, kept 128, dropped 93\n"
               ".*process con_doomed killed when 1 thread\\(s\\) return from calls\n"
               "\n${big}01234567\n"
               "con_peer: still served\n.*PASS" "con_snoop: reading refused\n"
        REJECT "did not return from" "con_doomed: read returned" "ATTACK SUCCEEDED"
               "con_snoop: read returned")
endif()
