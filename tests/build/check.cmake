# Build the demo firmware for one board from a clean tree, then check it:
#   cmake -DSOURCE=... -DBINARY=... -DGENERATOR=... -DBOARD=... -DCMRX_DIR=...
#         -DREADELF=... -P check.cmake
# The example is copied to BINARY/src, so that the test can edit it.
# Fails unless the firmware builds; its flash and RAM use fit the board's
# memory as its bsp.yaml gives it; every loadable segment lies in the
# board's flash (load image) and flash or RAM (run address); the vector
# table sits at the start of flash and holds the kernel's stack top and
# reset handler; the board's bsp_board_init(), if it has one, is linked;
# and a touched process source relinks the firmware.
cmake_minimum_required(VERSION 3.24)

include(${CMAKE_CURRENT_LIST_DIR}/run.cmake)

# expect("<if() condition>" "message"): collect a failure unless it holds.
set(failures "")
macro(expect cond why)
    cmake_language(EVAL CODE "if(NOT (${cond}))\nlist(APPEND failures \"${why}\")\nendif()")
endmacro()

file(REMOVE_RECURSE "${BINARY}")
file(COPY "${SOURCE}/" DESTINATION "${BINARY}/src")
set(src "${BINARY}/src")
set(out_dir "${BINARY}/build")
run(${CMAKE_COMMAND} -S "${src}" -B "${out_dir}" -G "${GENERATOR}"
    "-DCMAKE_TOOLCHAIN_FILE=${CMRX_DIR}/kernel/cmake/toolchain/arm-none-eabi.cmake"
    "-DCMRX_DIR=${CMRX_DIR}" "-DBOARD=${BOARD}")
run(${CMAKE_COMMAND} --build "${out_dir}" --parallel 2)
message("${out}")
set(elf "${out_dir}/demo.elf")
foreach(f demo.elf demo.hex demo.bin demo.size.json)
    expect("EXISTS ${out_dir}/${f}" "${f} was not produced")
endforeach()

# The board's memory, as the SDK read it from bsp.yaml.
include("${out_dir}/cmrx-board/bsp.cmake")
expect("CMRX_BSP_NAME STREQUAL BOARD" "the build used board '${CMRX_BSP_NAME}'")
math(EXPR flash_lo "${CMRX_BSP_FLASH_BASE}")
math(EXPR flash_hi "${CMRX_BSP_FLASH_BASE} + ${CMRX_BSP_FLASH_SIZE}")
math(EXPR ram_lo "${CMRX_BSP_RAM_BASE}")
math(EXPR ram_hi "${CMRX_BSP_RAM_BASE} + ${CMRX_BSP_RAM_SIZE}")

# The size table's totals against it.
file(READ "${out_dir}/demo.size.json" json)
string(JSON flash_used GET "${json}" flash_used)
string(JSON ram_used GET "${json}" ram_used)
expect("flash_used GREATER 0 AND flash_used LESS_EQUAL CMRX_BSP_FLASH_SIZE"
    "flash use ${flash_used} does not fit the board's ${CMRX_BSP_FLASH_SIZE} bytes")
expect("ram_used GREATER 0 AND ram_used LESS_EQUAL CMRX_BSP_RAM_SIZE"
    "RAM use ${ram_used} does not fit the board's ${CMRX_BSP_RAM_SIZE} bytes")

# The linked image itself, independently of the SDK's own report.
function(in_range lo hi a len out)
    math(EXPR end "${a} + ${len}")
    if(a GREATER_EQUAL lo AND end LESS_EQUAL hi)
        set(${out} TRUE PARENT_SCOPE)
    else()
        set(${out} FALSE PARENT_SCOPE)
    endif()
endfunction()
run(${READELF} -lW "${elf}")
string(REGEX MATCHALL "LOAD +0x[0-9a-f]+ 0x[0-9a-f]+ 0x[0-9a-f]+ 0x[0-9a-f]+ 0x[0-9a-f]+" loads
    "${out}")
expect("loads" "no loadable segment in ${elf}")
foreach(l ${loads})
    string(REGEX MATCHALL "0x[0-9a-f]+" f "${l}")
    list(GET f 1 vaddr)
    list(GET f 2 paddr)
    list(GET f 3 filesz)
    list(GET f 4 memsz)
    math(EXPR vaddr "${vaddr}")
    math(EXPR paddr "${paddr}")
    math(EXPR filesz "${filesz}")
    math(EXPR memsz "${memsz}")
    if(filesz GREATER 0)
        in_range(${flash_lo} ${flash_hi} ${paddr} ${filesz} ok)
        expect(ok "segment '${l}': load image outside flash")
    endif()
    in_range(${flash_lo} ${flash_hi} ${vaddr} ${memsz} in_flash)
    in_range(${ram_lo} ${ram_hi} ${vaddr} ${memsz} in_ram)
    expect("in_flash OR in_ram" "segment '${l}': outside the board's flash and RAM")
endforeach()

# The vector table: first in flash, stack top in RAM, reset handler in flash.
run(${READELF} -sW "${elf}")
foreach(sym cmrx_vectors __cmrx_msp_top cmrx_port_reset)
    if(out MATCHES "([0-9a-f]+) +[0-9]+ [A-Z]+ +[A-Z]+ +[A-Z]+ +[A-Z0-9]+ ${sym}\n")
        math(EXPR ${sym} "0x${CMAKE_MATCH_1}")
    else()
        list(APPEND failures "symbol ${sym} not found")
        set(${sym} 0)
    endif()
endforeach()
expect("cmrx_vectors EQUAL flash_lo" "the vector table is not at the start of flash")
file(READ "${out_dir}/demo.bin" head LIMIT 8 HEX)
string(REGEX REPLACE "(..)(..)(..)(..)(..)(..)(..)(..)" "0x\\4\\3\\2\\1;0x\\8\\7\\6\\5" words
    "${head}")
list(GET words 0 sp)
list(GET words 1 reset)
math(EXPR sp "${sp}")
math(EXPR reset "${reset}")
math(EXPR want_reset "${cmrx_port_reset} | 1")
expect("sp EQUAL __cmrx_msp_top AND sp GREATER ram_lo AND sp LESS_EQUAL ram_hi"
    "initial stack pointer ${sp} is not the kernel's stack top in RAM")
expect("reset EQUAL want_reset" "reset vector ${reset} is not cmrx_port_reset (Thumb)")

# A board's own bsp_board_init() (clocks, pins) replaces the kernel's weak
# default in the image.
set(board_init FALSE)
foreach(f ${CMRX_BSP_SOURCES})
    file(READ "${f}" text)
    if(text MATCHES "\nvoid bsp_board_init\\(void\\)\n{")
        set(board_init TRUE)
    endif()
endforeach()
if(board_init)
    set(linked FALSE)
    if(out MATCHES " GLOBAL +DEFAULT +[0-9]+ bsp_board_init\n")
        set(linked TRUE)
    endif()
    expect(linked "the board's bsp_board_init() is not the one linked (the weak default is)")
endif()

# An edited process relinks the firmware.
file(TIMESTAMP "${elf}" before "%s")
execute_process(COMMAND ${CMAKE_COMMAND} -E sleep 1.1)
file(TOUCH "${src}/sensor.c")
run(${CMAKE_COMMAND} --build "${out_dir}")
file(TIMESTAMP "${elf}" after "%s")
expect("after GREATER before" "touching sensor.c did not relink demo.elf")

if(failures)
    string(REPLACE ";" "\n  " failures "${failures}")
    message(FATAL_ERROR "FAILED ${BOARD} (${GENERATOR}):\n  ${failures}")
endif()
message("OK: demo for ${BOARD} (${GENERATOR}): flash ${flash_used} of ${CMRX_BSP_FLASH_SIZE}, "
    "RAM ${ram_used} of ${CMRX_BSP_RAM_SIZE} bytes")
