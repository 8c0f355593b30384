# gpio QEMU test, included by tests/qemu/firmware/CMakeLists.txt. On the
# MPS2 boards the LEDs are read back from QEMU's FPGA I/O model; QEMU does
# not model the STM32F4's GPIO (reads 0, ignores writes), so on
# qemu-netduinoplus2 only ownership and the errors are checked.
include(${CMAKE_CURRENT_LIST_DIR}/../backend.cmake)
if(GPIO_BACKEND STREQUAL "hw_mps2_fpgaio.c")
    set(gpio_test_defs PIN_A=0u PIN_B=1u PIN_INPUT_ONLY=2u GPIO_TEST_READBACK=1)
elseif(GPIO_BACKEND STREQUAL "hw_stm32f4.c")
    set(gpio_test_defs PIN_A=5u PIN_B=6u PIN_RESERVED=13u GPIO_TEST_READBACK=0) # PA5, PA6, PA13
else()
    set(gpio_test_defs "")
endif()
if(gpio_test_defs)
    include(${CMAKE_CURRENT_LIST_DIR}/../component.cmake)
    set(d ${CMAKE_CURRENT_LIST_DIR})
    test_process(gpio_a SOURCES ${d}/gpio_a.c SYSTEM ARGS THREADS 1 PRIORITY 10 LIBS gpio_client)
    test_process(gpio_b SOURCES ${d}/gpio_b.c ARGS THREADS 1 PRIORITY 11 LIBS gpio_client)
    foreach(p gpio_a gpio_b)
        target_compile_definitions(cmrxproc_${p} PRIVATE ${gpio_test_defs} GPIO_PINS=${GPIO_PINS}u)
    endforeach()
    qemu_test(NAME gpio PROCESSES gpio_a gpio_b gpio
        EXPECT "gpio_a: bad calls refused\n.*gpio_b: refused gpio_a's pin, drives its own \\(start 0\\)\n.*process gpio_b restarted \\(1\\)\n.*gpio_b: refused gpio_a's pin, drives its own \\(start 1\\)\n.*process gpio_b killed\n.*gpio_a: took over the killed process's pin\n.*PASS")
    # A hostile client polls for the pin of a process waiting out its
    # restart back-off: the pin must stay that process's.
    test_process(gpio_v SOURCES ${d}/gpio_v.c SYSTEM ARGS THREADS 1 PRIORITY 11 FAULT_POLICY restart
        LIBS gpio_client)
    test_process(gpio_x SOURCES ${d}/gpio_x.c ARGS THREADS 1 PRIORITY 10 LIBS gpio_client)
    foreach(p gpio_v gpio_x)
        target_compile_definitions(cmrxproc_${p} PRIVATE ${gpio_test_defs} GPIO_PINS=${GPIO_PINS}u)
    endforeach()
    qemu_test(NAME gpio_restart PROCESSES gpio_v gpio_x gpio LABELS attack
        EXPECT "gpio_v: kept its pin through its restarts\n.*gpio_x: never got the pin\n.*PASS"
        REJECT "ATTACK SUCCEEDED")
endif()
