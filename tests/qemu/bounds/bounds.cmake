# Latency bounds (tests/qemu/bounds): for each long kernel path, a firmware
# where a hostile process drives it while a driver samples its interrupt
# latency; the test fails past the bound docs/performance.md documents.
# Registers qemu.<board>.bound.<name>, labels "qemu" and "bound". Needs the
# CMSDK timers of the MPS2 boards (TIMER0_BASE, TIMER0_IRQ).
set(BOUND_DIR ${CMAKE_CURRENT_LIST_DIR})

# bound_test(NAME n SOURCES hostile.c [ARGS process args...] [EXTRA procs...]
#            [DEFINES d...] [TIME ms] [EXPECT regex...] [QEMU_ARGS arg...] BOUND insns)
function(bound_test)
    cmake_parse_arguments(B "" "NAME;BOUND;TIME" "SOURCES;ARGS;EXTRA;DEFINES;EXPECT;QEMU_ARGS"
        ${ARGN})
    if(NOT B_TIME)
        set(B_TIME 200)
    endif()
    cmrx_add_process(NAME bdrv_${B_NAME} SOURCES ${BOUND_DIR}/bound_drv.c INCLUDE_DIRS ${BOUND_DIR}
        SYSTEM THREADS 1 PRIORITY 1 MMIO ${timer0}:0x2000 IRQS ${timer0_irq})
    target_compile_definitions(cmrxproc_bdrv_${B_NAME} PRIVATE TIMER0_BASE=${timer0}u
        TIMER0_IRQ=${timer0_irq}u TIMER_HZ=${CMRX_BSP_CLOCK_HZ}u BOUND_INSNS=${B_BOUND} BOUND_TIME_MS=${B_TIME}u)
    set(args THREADS 1 PRIORITY 20)
    if(B_ARGS)
        set(args ${B_ARGS})
    endif()
    cmrx_add_process(NAME bh_${B_NAME} SOURCES ${B_SOURCES} INCLUDE_DIRS ${BOUND_DIR} ${args})
    if(B_DEFINES)
        target_compile_definitions(cmrxproc_bh_${B_NAME} PRIVATE ${B_DEFINES})
    endif()
    # restart runs 200 ms of heavy work in QEMU: about 27 s alone, over
    # 90 s (once 120) on a CI machine running two test runs at once.
    qemu_test(NAME bound.${B_NAME} PROCESSES bdrv_${B_NAME} bh_${B_NAME} ${B_EXTRA}
        QEMU_ARGS ${B_QEMU_ARGS}
        EXPECT ${B_EXPECT} "bound_drv: [0-9]+ interrupts, worst" "PASS" LABELS bound TIMEOUT 400)
endfunction()

cmrx_add_process(NAME bh_big SOURCES ${BOUND_DIR}/h_big.c INCLUDE_DIRS ${BOUND_DIR}
    THREADS 1 PRIORITY 20)

bound_test(NAME console SOURCES ${BOUND_DIR}/h_console.c TIME 20 BOUND 1500)
bound_test(NAME restart SOURCES ${BOUND_DIR}/h_restart.c ARGS THREADS 1 PRIORITY 20 SYSTEM
    DEFINES BIG_PID=2 EXTRA bh_big BOUND 1500)
bound_test(NAME fault SOURCES ${BOUND_DIR}/h_fault.c ARGS THREADS 2 PRIORITY 20 TIME 30
    BOUND 1500)
bound_test(NAME timers SOURCES ${BOUND_DIR}/h_timers.c ARGS THREADS 16 TIMERS 16 PRIORITY 20
    STACK_SIZE 256 BOUND 1500)
bound_test(NAME sleepers SOURCES ${BOUND_DIR}/h_sleepers.c ARGS THREADS 16 PRIORITY 20
    STACK_SIZE 256 BOUND 1500)
bound_test(NAME waiters SOURCES ${BOUND_DIR}/h_waiters.c ARGS THREADS 17 PRIORITY 19
    MAX_PRIORITY 19 STACK_SIZE 256 BOUND 1500)

# An updater commits a process's 4 KiB image over and over: the kernel
# verifies it a slice per tick (hashing it in the call would take some
# 270,000 instructions). Version 2 waits in slot B, version 1 is slot A's;
# forced commits switch between them. Boards whose flash the kernel writes.
if(CMRX_BSP_FLASH_DRIVER STREQUAL "sram" AND NOT CMRX_TEST_WITHOUT_MPU)
    cmrx_add_process(NAME bupd SOURCES ${BOUND_DIR}/h_upd.c INCLUDE_DIRS ${BOUND_DIR}
        THREADS 1 PRIORITY 20 FLASH_RESERVE 8192 RAM_RESERVE 1024 VERSION 1)
    bound_test(NAME update SOURCES ${BOUND_DIR}/h_update.c ARGS THREADS 1 PRIORITY 20 UPDATER
        DEFINES UPD_PID=2 EXTRA bupd
        QEMU_ARGS -device loader,file=${CMAKE_BINARY_DIR}/t_bound.update.v2.bupd.img,addr=@bupd_SLOT_B@
        EXPECT "process bupd: version 1 -> 2 \\(slot B\\), by bh_update"
               "bupd: version 2 ready \\(5a\\)"
               "process bupd: version 2 -> 1 \\(slot A\\), by bh_update"
        BOUND 1500)
    cmrx_add_process_image(NAME v2 FIRMWARE t_bound.update PROCESS bupd
        SOURCES ${BOUND_DIR}/h_upd_v2.c VERSION 2)
endif()
