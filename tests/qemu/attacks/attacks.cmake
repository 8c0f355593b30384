# The attack suite (tests/qemu/attacks): one firmware per class of attack,
# each a victim, a judge and an attacker. Included by the QEMU test
# firmware's CMakeLists for the boards the suite runs on; registers tests
# qemu.<board>.attack.<name>, labels "qemu" and "attack".
set(ATTACK_DIR ${CMAKE_CURRENT_LIST_DIR})

function(_attack_process name)
    cmake_parse_arguments(P "SYSTEM" "" "SOURCES;ARGS;DEFINES" ${ARGN})
    set(sys "")
    if(P_SYSTEM)
        set(sys SYSTEM)
    endif()
    cmrx_add_process(NAME ${name} SOURCES ${P_SOURCES} INCLUDE_DIRS ${ATTACK_DIR} ${sys} ${P_ARGS})
    if(P_DEFINES)
        target_compile_definitions(cmrxproc_${name} PRIVATE ${P_DEFINES})
    endif()
endfunction()

# The common processes: the victim (with and without a client thread that
# calls the attacker's lure service) and the judge.
_attack_process(victim SOURCES ${ATTACK_DIR}/victim.c ARGS THREADS 1 PRIORITY 10 STACK_SIZE 2048)
_attack_process(victim_lure SOURCES ${ATTACK_DIR}/victim.c
    ARGS THREADS 2 TIMERS 1 PRIORITY 10 STACK_SIZE 2048 DEFINES VICTIM_LURE)
_attack_process(judge SOURCES ${ATTACK_DIR}/judge.c SYSTEM ARGS THREADS 1 PRIORITY 4)

# attack_test(NAME n SOURCES attacker.c... [ARGS process args...] [DEFINES d...]
#             [LURE] [EXTRA processes...] [EXPECT regex...] [HOST_FILE path]
#             [TIMEOUT s])
# The attacker process is attack_<n> (default: 1 thread, priority 20);
# LURE runs the victim that calls it. HOST_FILE is a host path the test
# fails on if it exists after the run.
function(attack_test)
    cmake_parse_arguments(A "LURE" "NAME;HOST_FILE;TIMEOUT" "SOURCES;ARGS;DEFINES;EXTRA;EXPECT"
        ${ARGN})
    set(args THREADS 1 PRIORITY 20)
    if(A_ARGS)
        set(args ${A_ARGS})
    endif()
    _attack_process(attack_${A_NAME} SOURCES ${A_SOURCES} ARGS ${args}
        DEFINES ${A_DEFINES} CMRX_FLASH_BASE=${CMRX_BSP_FLASH_BASE}u
        CMRX_RAM_BASE=${CMRX_BSP_RAM_BASE}u CMRX_RAM_SIZE=${CMRX_BSP_RAM_SIZE}u
        CMRX_CONSOLE_BASE=${CMRX_BSP_CONSOLE_BASE}u CMRX_IRQ_COUNT=${CMRX_BSP_IRQS}u)
    set(v victim)
    if(A_LURE)
        set(v victim_lure)
    endif()
    if(NOT A_TIMEOUT)
        set(A_TIMEOUT 30)
    endif()
    qemu_test(NAME attack.${A_NAME} PROCESSES judge ${v} attack_${A_NAME} ${A_EXTRA}
        EXPECT "judge: victim heartbeat [0-9]+ beats" "PASS" ${A_EXPECT}
        TIMEOUT ${A_TIMEOUT} HOST_FILE "${A_HOST_FILE}" LABELS attack)
endfunction()

include(${ATTACK_DIR}/list.cmake)
