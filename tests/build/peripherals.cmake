# Peripherals by name (bsp.yaml `peripherals:`, cmrx_add_process PERIPHERALS):
#   cmake -DBINARY=... -DCMRX_DIR=... -P peripherals.cmake
# 1. a process asking for timer0 of qemu-mps2-an385 is granted its range and
#    interrupt (in the layout cmrx-sdk lays out) and gets its C macros;
# 2. a peripheral the board does not have, and 3. two processes asking for
#    the same one, stop the configuration with a message that says so.
cmake_minimum_required(VERSION 3.24)
set(failures "")

# case(NAME "cmake body" OK|FAIL "regex"): configure a project made of a
# process source and the given body; check the result.
function(case name body expect regex)
    set(dir "${BINARY}/${name}")
    file(REMOVE_RECURSE "${dir}")
    file(WRITE "${dir}/p.c" "#include <cmrx/cmrx.h>\nstatic int m(void *a) { (void)a; return 0; }\n"
        "CMRX_THREAD(m, 0);\n")
    file(WRITE "${dir}/CMakeLists.txt"
        "cmake_minimum_required(VERSION 3.24)\nproject(p C ASM)\n"
        "include(${CMRX_DIR}/kernel/cmake/cmrx.cmake)\ncmrx_use_board(qemu-mps2-an385)\n${body}\n")
    execute_process(COMMAND ${CMAKE_COMMAND} -S "${dir}" -B "${dir}/build" -G Ninja
        "-DCMAKE_TOOLCHAIN_FILE=${CMRX_DIR}/kernel/cmake/toolchain/arm-none-eabi.cmake"
        RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
    string(REGEX REPLACE "[ \t\r\n]+" " " flat "${out}")
    if(expect STREQUAL "OK" AND NOT rc EQUAL 0)
        set(failures "${failures}\n  ${name}: configuring failed:\n${out}" PARENT_SCOPE)
    elseif(expect STREQUAL "FAIL" AND rc EQUAL 0)
        set(failures "${failures}\n  ${name}: configuring succeeded, expected an error" PARENT_SCOPE)
    elseif(expect STREQUAL "FAIL" AND NOT flat MATCHES "${regex}")
        set(failures "${failures}\n  ${name}: the message does not match '${regex}':\n${out}"
            PARENT_SCOPE)
    endif()
endfunction()

case(granted "cmrx_add_process(NAME drv SOURCES p.c PERIPHERALS timer0)
cmrx_add_firmware(NAME fw PROCESSES drv)" OK "")
if(NOT failures)
    file(READ "${BINARY}/granted/build/fw.cmrx/layout.in" layout)
    if(NOT layout MATCHES "- { name: drv, peripherals: \\[timer0\\], irqs: \\[8\\], mmio: \\[{ base: 0x40000000, size: 0x1000 }\\] }\n")
        list(APPEND failures "\n  granted: layout.in lacks timer0's range and interrupt:\n${layout}")
    endif()
    file(GLOB_RECURSE flags "${BINARY}/granted/build/build.ninja")
    file(READ "${flags}" ninja)
    foreach(def "CMRX_PERIPH_TIMER0_BASE=0x40000000u" "CMRX_PERIPH_TIMER0_SIZE=0x1000u"
            "CMRX_PERIPH_TIMER0_IRQ=8u" "CMRX_PERIPH_TIMER0_IRQS=8"
            "CMRX_PERIPH_TIMER0_DRIVER=\\\"cmsdk-timer\\\"" "CMRX_BOARD=\\\"qemu-mps2-an385\\\"")
        string(FIND "${ninja}" "-D${def}" at)
        if(at EQUAL -1)
            list(APPEND failures "\n  granted: the process is not compiled with -D${def}")
        endif()
    endforeach()
endif()

case(missing "cmrx_add_process(NAME drv SOURCES p.c PERIPHERALS eth1)" FAIL
    "cmrx_add_process\\(drv\\): board qemu-mps2-an385 has no peripheral 'eth1' \\(its bsp.yaml names: timer0, timer1, eth0, gpio0, uart1\\)")

case(twice "cmrx_add_process(NAME a SOURCES p.c PERIPHERALS eth0)
cmrx_add_process(NAME b SOURCES p.c PERIPHERALS timer1 eth0)
cmrx_add_firmware(NAME fw PROCESSES a b)" FAIL
    "cmrx_add_firmware\\(fw\\): .*processes 'a' \\(line [0-9]+\\) and 'b' both ask for peripheral 'eth0'.*a peripheral belongs to one process")

case(finder "cmrx_board_peripherals(OUT all)
cmrx_board_peripherals(OUT nics DRIVER lan9118)
if(NOT all STREQUAL \"timer0;timer1;eth0;gpio0;uart1\" OR NOT nics STREQUAL \"eth0\")
    message(FATAL_ERROR \"cmrx_board_peripherals: '\${all}' and '\${nics}'\")
endif()" OK "")

if(failures)
    message(FATAL_ERROR "FAILED:${failures}")
endif()
message("OK: peripherals are granted by name, with their macros; a missing one or one asked for "
    "twice is refused with a message that says so")
