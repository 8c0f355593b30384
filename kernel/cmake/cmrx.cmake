# The CMRX CMake SDK: build firmware from the kernel, one board support
# package and your processes, with plain CMake.
#
#   set(CMAKE_TOOLCHAIN_FILE <cmrx>/kernel/cmake/toolchain/arm-none-eabi.cmake)
#   project(demo C ASM)
#   include(<cmrx>/kernel/cmake/cmrx.cmake)
#   cmrx_use_board(qemu-mps2-an385)
#   cmrx_add_process(NAME hello SOURCES hello.c STACK_SIZE 1024 THREADS 2 SYSTEM)
#   cmrx_add_firmware(NAME demo PROCESSES hello)
#
# Every firmware is linked twice: once to measure each process's RAM, then
# with that RAM placed where the MPU can protect it exactly (see
# docs/build-sdk.md). The memory table is printed after each build.
include_guard(GLOBAL)
cmake_minimum_required(VERSION 3.24)

get_filename_component(CMRX_ROOT "${CMAKE_CURRENT_LIST_DIR}/../.." ABSOLUTE)
set(CMRX_KERNEL_DIR "${CMRX_ROOT}/kernel")
set(CMRX_HOST_CC "cc" CACHE STRING "Host C compiler for the SDK's build helper")

# The board's library is linked whole (see cmrx_use_board).
set(CMAKE_C_LINK_LIBRARY_USING_WHOLE_ARCHIVE
    "LINKER:--whole-archive" "<LINK_ITEM>" "LINKER:--no-whole-archive")
set(CMAKE_C_LINK_LIBRARY_USING_WHOLE_ARCHIVE_SUPPORTED TRUE)

# --- the host helper (cmrx-sdk) --------------------------------------------
# Built with the host compiler at configure time, because board settings are
# needed before any target exists. Rebuilt when its sources change.
function(_cmrx_host_tool)
    set(dir "${CMAKE_BINARY_DIR}/cmrx-host")
    set(tool "${dir}/cmrx-sdk")
    # A helper built elsewhere (the SDK's own host build passes one) is used
    # as given; ours is rebuilt whenever its sources change.
    if(CMRX_SDK_TOOL AND NOT CMRX_SDK_TOOL STREQUAL tool)
        return()
    endif()
    file(GLOB srcs "${CMRX_KERNEL_DIR}/tools/cmrx-sdk/*.c" "${CMRX_KERNEL_DIR}/tools/cmrx-sdk/*.h")
    list(SORT srcs)
    set(hash "")
    foreach(f ${srcs})
        file(SHA256 "${f}" h)
        string(APPEND hash "${h}")
    endforeach()
    string(SHA256 hash "${hash}")
    if(EXISTS "${tool}" AND EXISTS "${dir}/stamp")
        file(READ "${dir}/stamp" old)
        if(old STREQUAL hash)
            set(CMRX_SDK_TOOL "${tool}" CACHE INTERNAL "")
            return()
        endif()
    endif()
    file(MAKE_DIRECTORY "${dir}")
    file(GLOB csrcs "${CMRX_KERNEL_DIR}/tools/cmrx-sdk/*.c")
    execute_process(
        COMMAND ${CMRX_HOST_CC} -std=c11 -D_POSIX_C_SOURCE=200809L -O2 -Wall -Wextra -Werror
                -o "${tool}" ${csrcs} -lyaml -lcjson
        RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "cmrx: cannot build the SDK helper with '${CMRX_HOST_CC}':\n${out}\n"
            "Install the host packages with scripts/setup.sh (needs libyaml-dev, libcjson-dev).")
    endif()
    file(WRITE "${dir}/stamp" "${hash}")
    set(CMRX_SDK_TOOL "${tool}" CACHE INTERNAL "")
endfunction()

# --- CPU flags ---------------------------------------------------------------
function(_cmrx_cpu_flags cpu fpu out_var)
    set(flags -mthumb -mcpu=${cpu})
    if(fpu STREQUAL "none")
        list(APPEND flags -mfloat-abi=soft)
    elseif(fpu STREQUAL "fpv4-sp")
        list(APPEND flags -mfloat-abi=hard -mfpu=fpv4-sp-d16)
    elseif(fpu STREQUAL "fpv5-sp")
        list(APPEND flags -mfloat-abi=hard -mfpu=fpv5-sp-d16)
    elseif(fpu STREQUAL "fpv5-dp")
        list(APPEND flags -mfloat-abi=hard -mfpu=fpv5-d16)
    else()
        message(FATAL_ERROR "cmrx: unknown FPU '${fpu}'")
    endif()
    set(${out_var} ${flags} PARENT_SCOPE)
endfunction()

# --- board -----------------------------------------------------------------
# cmrx_use_board(BOARD): BOARD is a folder holding bsp.yaml, or the name of a
# board under <cmrx>/bsp/. Call once, before any process or firmware.
function(cmrx_use_board board)
    if(DEFINED CMRX_BSP_NAME)
        message(FATAL_ERROR "cmrx: a build tree holds firmware for one board; "
            "'${CMRX_BSP_NAME}' is already selected")
    endif()
    if(NOT CMAKE_C_COMPILER MATCHES "arm-none-eabi")
        message(FATAL_ERROR "cmrx: configure with "
            "-DCMAKE_TOOLCHAIN_FILE=${CMRX_KERNEL_DIR}/cmake/toolchain/arm-none-eabi.cmake")
    endif()
    if(EXISTS "${board}/bsp.yaml")
        get_filename_component(bsp_dir "${board}" ABSOLUTE)
    elseif(EXISTS "${CMRX_ROOT}/bsp/${board}/bsp.yaml")
        set(bsp_dir "${CMRX_ROOT}/bsp/${board}")
    else()
        file(GLOB known RELATIVE "${CMRX_ROOT}/bsp" "${CMRX_ROOT}/bsp/*/bsp.yaml")
        string(REPLACE "/bsp.yaml" "" known "${known}")
        string(REPLACE ";" ", " known "${known}")
        message(FATAL_ERROR "cmrx: unknown board '${board}' (no bsp.yaml there). "
            "Boards in this SDK: ${known}")
    endif()
    _cmrx_host_tool()
    set(gen "${CMAKE_BINARY_DIR}/cmrx-board")
    file(MAKE_DIRECTORY "${gen}")
    execute_process(
        COMMAND "${CMRX_SDK_TOOL}" bsp "${bsp_dir}" "${gen}/bsp.cmake" "${gen}/bsp_config.h"
        RESULT_VARIABLE rc ERROR_VARIABLE err)
    if(NOT rc EQUAL 0)
        string(STRIP "${err}" err)
        message(FATAL_ERROR "${err}")
    endif()
    # A new bsp.yaml or a new SDK helper means new generated board settings.
    file(GLOB tool_srcs "${CMRX_KERNEL_DIR}/tools/cmrx-sdk/*.c" "${CMRX_KERNEL_DIR}/tools/cmrx-sdk/*.h")
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${bsp_dir}/bsp.yaml" ${tool_srcs})
    include("${gen}/bsp.cmake")

    # The port is named after the MPU architecture; each port lists its
    # sources (its own and those shared in arch/common) in its port.cmake.
    set(port ${CMRX_BSP_MPU_ARCH})
    if(NOT EXISTS "${CMRX_KERNEL_DIR}/arch/${port}/port.cmake")
        message(FATAL_ERROR "cmrx: board ${CMRX_BSP_NAME}: the ${port} port is not "
            "available in this SDK")
    endif()
    include("${CMRX_KERNEL_DIR}/arch/${port}/port.cmake")
    _cmrx_cpu_flags(${CMRX_BSP_CPU} ${CMRX_BSP_FPU} cpu_flags)
    add_compile_options(${cpu_flags} -ffunction-sections -fdata-sections)
    if(NOT CMAKE_BUILD_TYPE)
        add_compile_options(-Os -g)
    endif()
    add_link_options(${cpu_flags} -nostartfiles --specs=nano.specs -Wl,--gc-sections
        -Wl,--no-warn-rwx-segments)

    # The kernel, built for this board.
    file(GLOB ksrc "${CMRX_KERNEL_DIR}/src/*.c")
    set(drv "${CMRX_KERNEL_DIR}/drivers/${CMRX_BSP_CONSOLE_DRIVER}.c"
        "${CMRX_KERNEL_DIR}/drivers/bsp_glue.c")
    add_library(cmrx_kernel_internal INTERFACE)
    target_include_directories(cmrx_kernel_internal INTERFACE
        "${CMRX_KERNEL_DIR}/include" "${CMRX_KERNEL_DIR}/src"
        "${CMRX_KERNEL_DIR}/arch/${port}" "${CMRX_KERNEL_DIR}/drivers" "${gen}")
    file(GLOB usrc "${CMRX_KERNEL_DIR}/lib/*.c")
    add_library(cmrx_user STATIC ${usrc} ${CMRX_PORT_USER_SOURCES})
    target_include_directories(cmrx_user PUBLIC "${CMRX_KERNEL_DIR}/include")
    target_compile_options(cmrx_user PRIVATE -std=c11 -Wall -Wextra -Werror)
    add_library(cmrx_kernel STATIC ${ksrc} ${CMRX_PORT_SOURCES} ${drv})
    target_link_libraries(cmrx_kernel PRIVATE cmrx_kernel_internal PUBLIC cmrx_user)
    # The board's own sources are linked whole: their bsp_board_init() must
    # replace the kernel's weak default, which an archive member pulled for
    # an undefined symbol only would never do.
    set(klibs cmrx_kernel)
    if(CMRX_BSP_SOURCES)
        add_library(cmrx_bsp STATIC ${CMRX_BSP_SOURCES})
        target_link_libraries(cmrx_bsp PRIVATE cmrx_kernel_internal)
        list(APPEND klibs cmrx_bsp)
    endif()
    foreach(lib ${klibs})
        target_compile_options(${lib} PRIVATE
            $<$<COMPILE_LANGUAGE:C>:-std=c11 -Wall -Wextra -Werror -Wshadow -Wconversion
            -mgeneral-regs-only>)
    endforeach()

    foreach(v NAME CPU FPU MPU_ARCH MPU_REGIONS IRQS FLASH_BASE FLASH_SIZE RAM_BASE RAM_SIZE
            CLOCK_HZ QEMU_MACHINE QEMU_SERIAL PYOCD_TARGET SHUTDOWN CONSOLE_DRIVER CONSOLE_BASE
            CONSOLE_IRQS)
        set(CMRX_BSP_${v} "${CMRX_BSP_${v}}" PARENT_SCOPE)
    endforeach()
    set(CMRX_BSP_DIR "${bsp_dir}" PARENT_SCOPE)
endfunction()

# --- processes ---------------------------------------------------------------
# cmrx_add_process(NAME name SOURCES src...
#                  [INCLUDE_DIRS dir...] [LIBS objlib...]
#                  [STACK_SIZE bytes] [THREADS n] [TIMERS n]
#                  [PRIORITY 0..30] [MMIO base:size ...] [IRQS n...]
#                  [FAULT_POLICY kill-thread|kill-process|restart] [SYSTEM])
# THREADS is the number of thread slots (each with its own stack) the process
# may use at once, TIMERS the number of periodic timers; PRIORITY is the default of its autostart threads; MMIO
# ranges become accessible to the process only, IRQS are delivered to it
# only; FAULT_POLICY says what a fault of one of its threads costs the
# process; SYSTEM lets it shut the system down.
function(cmrx_add_process)
    cmake_parse_arguments(P "SYSTEM" "NAME;STACK_SIZE;THREADS;TIMERS;PRIORITY;FAULT_POLICY"
        "SOURCES;INCLUDE_DIRS;LIBS;MMIO;IRQS" ${ARGN})
    if(P_UNPARSED_ARGUMENTS)
        message(FATAL_ERROR "cmrx_add_process(${P_NAME}): unknown arguments ${P_UNPARSED_ARGUMENTS}")
    endif()
    if(NOT P_NAME MATCHES "^[A-Za-z_][A-Za-z0-9_]*$")
        message(FATAL_ERROR "cmrx_add_process: NAME '${P_NAME}' must be a C identifier")
    endif()
    if(NOT P_SOURCES)
        message(FATAL_ERROR "cmrx_add_process(${P_NAME}): SOURCES is required")
    endif()
    if(NOT DEFINED CMRX_BSP_NAME)
        message(FATAL_ERROR "cmrx_add_process(${P_NAME}): call cmrx_use_board() first")
    endif()
    foreach(m ${P_MMIO})
        if(NOT m MATCHES "^(0x[0-9a-fA-F]+|[0-9]+):(0x[0-9a-fA-F]+|[0-9]+)$")
            message(FATAL_ERROR "cmrx_add_process(${P_NAME}): MMIO '${m}' must be BASE:SIZE")
        endif()
    endforeach()
    set(lib cmrxproc_${P_NAME})
    add_library(${lib} STATIC ${P_SOURCES})
    target_include_directories(${lib} PRIVATE ${P_INCLUDE_DIRS})
    target_link_libraries(${lib} PUBLIC cmrx_user)
    # OBJECT libraries (component client code) are compiled into the
    # process's own archive, so their data lands in the process's memory.
    target_link_libraries(${lib} PRIVATE ${P_LIBS})
    target_compile_options(${lib} PRIVATE $<$<COMPILE_LANGUAGE:C>:-std=c11> -fvisibility=hidden)
    # Each process is one relocatable object in which only CMRX_EXPORT
    # symbols stay global: processes cannot clash over names, nor call into
    # each other's code by accident (it would run in the wrong memory map).
    set(obj "${CMAKE_CURRENT_BINARY_DIR}/cmrx-processes/cmrxproc_${P_NAME}.o")
    add_custom_command(OUTPUT "${obj}"
        COMMAND ${CMAKE_COMMAND} -E make_directory "${CMAKE_CURRENT_BINARY_DIR}/cmrx-processes"
        COMMAND ${CMAKE_C_COMPILER} -r -nostdlib -Wl,--whole-archive "$<TARGET_FILE:${lib}>"
                -Wl,--no-whole-archive -o "${obj}"
        COMMAND ${CMAKE_OBJCOPY} --localize-hidden "${obj}"
        DEPENDS ${lib}
        COMMENT "cmrx: process ${P_NAME}" VERBATIM)
    add_custom_target(${lib}_object DEPENDS "${obj}")
    if(NOT P_STACK_SIZE)
        set(P_STACK_SIZE 1024)
    endif()
    if(NOT DEFINED P_THREADS)
        set(P_THREADS 1)
    endif()
    if(NOT DEFINED P_PRIORITY)
        set(P_PRIORITY 16)
    endif()
    if(NOT DEFINED P_TIMERS)
        set(P_TIMERS 0)
    endif()
    if(NOT P_FAULT_POLICY)
        set(P_FAULT_POLICY kill-thread)
    endif()
    if(NOT P_FAULT_POLICY MATCHES "^(kill-thread|kill-process|restart)$")
        message(FATAL_ERROR "cmrx_add_process(${P_NAME}): FAULT_POLICY '${P_FAULT_POLICY}' is "
            "unknown; use kill-thread, kill-process or restart")
    endif()
    foreach(i ${P_IRQS})
        if(NOT i MATCHES "^[0-9]+$")
            message(FATAL_ERROR "cmrx_add_process(${P_NAME}): IRQ '${i}' is not a number")
        endif()
    endforeach()
    set(line "process name=${P_NAME} stack=${P_STACK_SIZE} threads=${P_THREADS} timers=${P_TIMERS}")
    string(APPEND line " priority=${P_PRIORITY} policy=${P_FAULT_POLICY}")
    if(P_SYSTEM)
        string(APPEND line " system=1")
    endif()
    if(P_IRQS)
        string(REPLACE ";" "," irqs "${P_IRQS}")
        string(APPEND line " irqs=${irqs}")
    endif()
    string(APPEND line "\n")
    foreach(m ${P_MMIO})
        string(REPLACE ":" ";" parts "${m}")
        list(GET parts 0 base)
        list(GET parts 1 size)
        string(APPEND line "mmio process=${P_NAME} base=${base} size=${size}\n")
    endforeach()
    set_target_properties(${lib} PROPERTIES CMRX_LAYOUT "${line}" CMRX_OBJECT "${obj}")
endfunction()

# --- components --------------------------------------------------------------
# A component package holds a component.cmake that the build includes after
# cmrx_use_board(). It declares its processes with cmrx_component_process()
# (same arguments as cmrx_add_process) and the code its clients link with
# cmrx_component_library(). The firmware then lists
#   get_property(procs GLOBAL PROPERTY CMRX_COMPONENT_PROCESSES)
#   get_property(libs GLOBAL PROPERTY CMRX_COMPONENT_LIBRARIES)
# as PROCESSES (with its own) and LIBS of its processes.
function(cmrx_component_process)
    cmrx_add_process(${ARGN})
    cmake_parse_arguments(C "" "NAME" "" ${ARGN})
    set_property(GLOBAL APPEND PROPERTY CMRX_COMPONENT_PROCESSES ${C_NAME})
endfunction()

# cmrx_component_library(NAME n SOURCES src... [INCLUDE_DIRS dir...])
# Client code of a component: an OBJECT library whose include directories
# its users see; each process that links it gets its own copy.
function(cmrx_component_library)
    cmake_parse_arguments(L "" "NAME" "SOURCES;INCLUDE_DIRS" ${ARGN})
    if(NOT L_NAME OR NOT L_SOURCES)
        message(FATAL_ERROR "cmrx_component_library: NAME and SOURCES are required")
    endif()
    add_library(${L_NAME} OBJECT ${L_SOURCES})
    target_include_directories(${L_NAME} PUBLIC ${L_INCLUDE_DIRS})
    target_link_libraries(${L_NAME} PUBLIC cmrx_user)
    target_compile_options(${L_NAME} PRIVATE $<$<COMPILE_LANGUAGE:C>:-std=c11> -fvisibility=hidden)
    set_property(GLOBAL APPEND PROPERTY CMRX_COMPONENT_LIBRARIES ${L_NAME})
endfunction()

# --- firmware ----------------------------------------------------------------
# cmrx_add_firmware(NAME name PROCESSES proc... [KERNEL_STACK bytes])
# Produces NAME.elf, NAME.hex, NAME.bin and NAME.size.json.
function(cmrx_add_firmware)
    cmake_parse_arguments(F "" "NAME;KERNEL_STACK" "PROCESSES" ${ARGN})
    if(NOT F_NAME OR NOT F_PROCESSES)
        message(FATAL_ERROR "cmrx_add_firmware: NAME and PROCESSES are required")
    endif()
    if(NOT F_KERNEL_STACK)
        set(F_KERNEL_STACK 1024)
    endif()
    set(dir "${CMAKE_CURRENT_BINARY_DIR}/${F_NAME}.cmrx")
    math(EXPR vectors "16 + ${CMRX_BSP_IRQS}")
    set(layout "# Input of cmrx-sdk for firmware ${F_NAME}. Generated by cmrx.cmake.\n")
    string(APPEND layout "firmware ${F_NAME}\nboard ${CMRX_BSP_NAME}\n")
    string(APPEND layout "mpu ${CMRX_BSP_MPU_ARCH} ${CMRX_BSP_MPU_REGIONS}\n")
    string(APPEND layout "flash ${CMRX_BSP_FLASH_BASE} ${CMRX_BSP_FLASH_SIZE}\n")
    string(APPEND layout "ram ${CMRX_BSP_RAM_BASE} ${CMRX_BSP_RAM_SIZE}\n")
    string(APPEND layout "vectors ${vectors}\nmsp ${F_KERNEL_STACK}\n")
    set(libs "")
    set(objdeps "")
    foreach(p ${F_PROCESSES})
        if(NOT TARGET cmrxproc_${p})
            message(FATAL_ERROR "cmrx_add_firmware(${F_NAME}): no process '${p}' "
                "(declare it with cmrx_add_process first)")
        endif()
        get_target_property(line cmrxproc_${p} CMRX_LAYOUT)
        get_target_property(obj cmrxproc_${p} CMRX_OBJECT)
        string(APPEND layout "${line}")
        list(APPEND libs "${obj}")
        list(APPEND objdeps cmrxproc_${p}_object)
    endforeach()
    set(bsp "")
    if(TARGET cmrx_bsp)
        set(bsp "$<LINK_LIBRARY:WHOLE_ARCHIVE,cmrx_bsp>")
    endif()
    file(CONFIGURE OUTPUT "${dir}/layout.in" CONTENT "${layout}" @ONLY)

    set(gen_out "${dir}/cmrx_config.c" "${dir}/firmware.ld" "${dir}/measure/cmrx_ram.ld"
        "${dir}/measure/cmrx_symbols.ld")
    add_custom_command(OUTPUT ${gen_out}
        COMMAND "${CMRX_SDK_TOOL}" gen "${dir}/layout.in" "${dir}"
        DEPENDS "${dir}/layout.in" "${CMRX_SDK_TOOL}"
        COMMENT "cmrx: process table and linker script of ${F_NAME}" VERBATIM)
    add_library(${F_NAME}_config OBJECT "${dir}/cmrx_config.c")
    target_link_libraries(${F_NAME}_config PRIVATE cmrx_kernel_internal)
    target_compile_options(${F_NAME}_config PRIVATE -std=c11 -Wall -Wextra -Werror)

    # Pass 1: measure.
    add_executable(${F_NAME}.measure $<TARGET_OBJECTS:${F_NAME}_config>)
    target_link_libraries(${F_NAME}.measure PRIVATE ${libs} ${bsp} cmrx_kernel)
    target_link_options(${F_NAME}.measure PRIVATE "-T${dir}/firmware.ld" "-L${dir}/measure")
    add_dependencies(${F_NAME}.measure ${objdeps})
    set_target_properties(${F_NAME}.measure PROPERTIES
        LINK_DEPENDS "${dir}/firmware.ld;${dir}/measure/cmrx_ram.ld;${dir}/measure/cmrx_symbols.ld;${libs}")

    # Layout from the measured sizes.
    set(final_out "${dir}/final/cmrx_ram.ld" "${dir}/final/cmrx_symbols.ld")
    add_custom_command(OUTPUT ${final_out}
        COMMAND "${CMRX_SDK_TOOL}" layout "${dir}/layout.in" "$<TARGET_FILE:${F_NAME}.measure>"
                "${dir}/final"
        DEPENDS ${F_NAME}.measure "${dir}/layout.in"
        COMMENT "cmrx: MPU layout of ${F_NAME}" VERBATIM)
    add_custom_target(${F_NAME}_layout DEPENDS ${final_out})

    # Pass 2: the firmware.
    add_executable(${F_NAME} $<TARGET_OBJECTS:${F_NAME}_config>)
    target_link_libraries(${F_NAME} PRIVATE ${libs} ${bsp} cmrx_kernel)
    target_link_options(${F_NAME} PRIVATE "-T${dir}/firmware.ld" "-L${dir}/final"
        "-Wl,-Map=${CMAKE_CURRENT_BINARY_DIR}/${F_NAME}.map")
    add_dependencies(${F_NAME} ${F_NAME}_layout)
    add_dependencies(${F_NAME} ${objdeps})
    set_target_properties(${F_NAME} PROPERTIES
        LINK_DEPENDS "${dir}/firmware.ld;${dir}/final/cmrx_ram.ld;${dir}/final/cmrx_symbols.ld;${libs}"
        CMRX_QEMU_MACHINE "${CMRX_BSP_QEMU_MACHINE}" CMRX_QEMU_SERIAL "${CMRX_BSP_QEMU_SERIAL}")
    set(out "${CMAKE_CURRENT_BINARY_DIR}/${F_NAME}")
    add_custom_command(TARGET ${F_NAME} POST_BUILD
        COMMAND ${CMAKE_OBJCOPY} -O ihex "$<TARGET_FILE:${F_NAME}>" "${out}.hex"
        COMMAND ${CMAKE_OBJCOPY} -O binary "$<TARGET_FILE:${F_NAME}>" "${out}.bin"
        COMMAND "${CMRX_SDK_TOOL}" report "${dir}/layout.in" "$<TARGET_FILE:${F_NAME}>"
                "${out}.size.json"
        VERBATIM)
endfunction()
