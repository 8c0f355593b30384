# gpio QEMU test, included by tests/qemu/firmware/CMakeLists.txt. On the
# MPS2 boards the LEDs are read back from QEMU's FPGA I/O model; QEMU does
# not model the STM32F4's GPIO (reads 0, ignores writes), so on
# qemu-netduinoplus2 only ownership and the errors are checked.
include(${CMAKE_CURRENT_LIST_DIR}/../backend.cmake)
if(GPIO_BACKEND STREQUAL "hw_mps2_fpgaio.c")
    set(gpio_test_defs PIN_A=0u PIN_B=1u PIN_INPUT_ONLY=2u PIN_KEPT=3u GPIO_TEST_READBACK=1)
elseif(GPIO_BACKEND STREQUAL "hw_stm32f4.c")
    set(gpio_test_defs PIN_A=5u PIN_B=6u PIN_RESERVED=13u PIN_KEPT=7u GPIO_TEST_READBACK=0) # PA5-7, PA13
else()
    set(gpio_test_defs "")
endif()
if(gpio_test_defs)
    # One pin is kept for gpio_k (gpio_kept).
    string(REGEX REPLACE ".*PIN_KEPT=([0-9]+)u.*" "\\1" kept "${gpio_test_defs}")
    set(GPIO_OWNERS "${kept}:gpio_k")
    include(${CMAKE_CURRENT_LIST_DIR}/../component.cmake)
    set(d ${CMAKE_CURRENT_LIST_DIR})
    # gpio_process(name [SYSTEM] ARGS ...): a test process of <name>.c that
    # knows the board's test pins.
    function(gpio_process name)
        test_process(${name} SOURCES ${d}/${name}.c ${ARGN} LIBS gpio_client)
        target_compile_definitions(cmrxproc_${name} PRIVATE ${gpio_test_defs}
            GPIO_PINS=${GPIO_PINS}u)
    endfunction()
    gpio_process(gpio_a SYSTEM ARGS THREADS 1 PRIORITY 10)
    gpio_process(gpio_b ARGS THREADS 1 PRIORITY 11)
    qemu_test(NAME gpio PROCESSES gpio_a gpio_b gpio
        EXPECT "gpio_a: bad calls refused\n.*gpio_b: refused gpio_a's pin, drives its own \\(start 0\\)\n.*process gpio_b restarted \\(1\\)\n.*gpio_b: refused gpio_a's pin, drives its own \\(start 1\\)\n.*process gpio_b killed\n.*gpio_a: took over the killed process's pin\n.*PASS")
    # A hostile client polls for the pin of a process waiting out its
    # restart back-off: the pin must stay that process's.
    gpio_process(gpio_v SYSTEM ARGS THREADS 1 PRIORITY 11 FAULT_POLICY restart)
    gpio_process(gpio_x ARGS THREADS 1 PRIORITY 10)
    qemu_test(NAME gpio_restart PROCESSES gpio_v gpio_x gpio LABELS attack
        EXPECT "gpio_v: kept its pin through its restarts\n.*gpio_x: never got the pin\n.*PASS"
        REJECT "ATTACK SUCCEEDED")
    # A process claims and reads the pin the build keeps for another,
    # before, while and after that one has it.
    gpio_process(gpio_k SYSTEM ARGS THREADS 1 PRIORITY 10)
    gpio_process(gpio_s ARGS THREADS 1 PRIORITY 9)
    qemu_test(NAME gpio_kept PROCESSES gpio_k gpio_s gpio LABELS attack
        EXPECT "gpio_k: claimed and read its kept pin, then released it\n"
               "gpio_s: gpio_k's pin refused to claim and read, held or free\n" "PASS"
        REJECT "ATTACK SUCCEEDED")
endif()
