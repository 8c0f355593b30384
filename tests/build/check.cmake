# Build the demo firmware for one board from a clean tree, then check it:
#   cmake -DSOURCE=... -DBINARY=... -DGENERATOR=... -DBOARD=... -DCMRX_DIR=...
#         -DREADELF=... -DOBJDUMP=... -DOBJCOPY=... -P check.cmake
# The example is copied to BINARY/src, so that the test can edit it.
# Fails unless the firmware builds; its flash and RAM use fit the board's
# memory as its bsp.yaml gives it; every loadable segment lies in the
# board's flash (load image) and flash or RAM (run address); the .bin and
# the .hex both start at the flash base and hold the same bytes; the
# vector table sits at the start of flash, or right after the board's boot
# header, and holds the kernel's stack top and reset handler; a boot header
# holds the board's boot code, linked where its ROM runs it, in 16-bit
# Thumb instructions (and BL) only, and ends with the CRC its ROM checks;
# the board's bsp_board_init(), if it has one, is linked; and a touched
# process source relinks the firmware.
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

# The .bin starts at the flash base (objcopy starts it at the lowest
# loadable address), and so does the .hex, with the same bytes: what pyOCD
# or any programmer writes is the image that was checked.
file(STRINGS "${out_dir}/demo.hex" hex_lines LIMIT_COUNT 2 NO_HEX_CONVERSION)
list(GET hex_lines 0 line0)
list(GET hex_lines 1 line1)
set(hex_hi 0) # an extended linear address record sets the upper 16 bits
set(data "${line0}")
if(line0 MATCHES "^:02000004([0-9A-F][0-9A-F][0-9A-F][0-9A-F])")
    set(hex_hi "0x${CMAKE_MATCH_1}")
    set(data "${line1}")
endif()
set(hex_start -1)
if(data MATCHES "^:[0-9A-F][0-9A-F]([0-9A-F][0-9A-F][0-9A-F][0-9A-F])00")
    math(EXPR hex_start "(${hex_hi} << 16) + 0x${CMAKE_MATCH_1}")
endif()
expect("hex_start EQUAL flash_lo" "demo.hex does not start at the flash base: ${line0} ${line1}")
run(${OBJCOPY} -I ihex -O binary "${out_dir}/demo.hex" "${out_dir}/from-hex.bin")
file(SHA256 "${out_dir}/from-hex.bin" from_hex)
file(SHA256 "${out_dir}/demo.bin" from_bin)
expect("from_hex STREQUAL from_bin" "demo.hex and demo.bin hold different images")

# A boot header (bsp.yaml boot:) comes first: the board's boot code as
# linked for the address its ROM runs it at, padded, and the ROM's CRC-32.
set(boot ${CMRX_BSP_BOOT_SIZE})
if(boot GREATER 0)
    set(boot_elf "${out_dir}/cmrx-board/cmrx_boot.elf")
    file(READ "${out_dir}/cmrx-board/boot_code.bin" code HEX)
    string(LENGTH "${code}" code_len)
    file(READ "${out_dir}/demo.bin" head LIMIT ${boot} HEX)
    string(SUBSTRING "${head}" 0 ${code_len} head_code)
    expect("code_len GREATER 0 AND head_code STREQUAL code"
        "flash does not start with the boot code of ${CMRX_BSP_BOOT_SOURCE}")
    if(CMRX_BSP_BOOT_CHECKSUM STREQUAL "crc32-mpeg2")
        include("${CMAKE_CURRENT_LIST_DIR}/crc32_mpeg2.cmake")
        math(EXPR body "(${boot} - 4) * 2")
        string(SUBSTRING "${head}" 0 ${body} covered)
        string(SUBSTRING "${head}" ${body} 8 stored)
        string(REGEX REPLACE "(..)(..)(..)(..)" "0x\\4\\3\\2\\1" stored "${stored}")
        math(EXPR stored "${stored}")
        crc32_mpeg2("${covered}" crc)
        math(EXPR crc_hex "${crc}" OUTPUT_FORMAT HEXADECIMAL)
        math(EXPR stored_hex "${stored}" OUTPUT_FORMAT HEXADECIMAL)
        expect("crc EQUAL stored"
            "the boot header's CRC ${stored_hex} is not the ROM's CRC-32 of its bytes (${crc_hex})")
    endif()
    # Linked where the ROM runs it, and only 16-bit Thumb instructions and
    # BL: code a Cortex-M0+ boot ROM jumps into must be Thumb-1.
    run(${OBJDUMP} -d "${boot_elf}")
    string(REGEX MATCHALL "\n *[0-9a-f]+:\t[0-9a-f ]+\t[^\t\n]+" insns "${out}")
    set(n_insns 0)
    set(first_addr "")
    foreach(l ${insns})
        string(REGEX MATCH "([0-9a-f]+):\t([0-9a-f ]+[0-9a-f])  *\t([^\t\n]+)" m "${l}")
        set(addr "${CMAKE_MATCH_1}")
        set(raw "${CMAKE_MATCH_2}")
        set(op "${CMAKE_MATCH_3}")
        if(first_addr STREQUAL "")
            set(first_addr "${addr}")
        endif()
        if(op MATCHES "^\\.")
            continue() # literal pool data
        endif()
        math(EXPR n_insns "${n_insns} + 1")
        if(NOT raw MATCHES "^[0-9a-f][0-9a-f][0-9a-f][0-9a-f]$" AND NOT op MATCHES "^bl[ \t]")
            list(APPEND failures "boot code has a 32-bit instruction other than BL: ${l}")
        endif()
    endforeach()
    expect("n_insns GREATER 0" "no instructions found in ${boot_elf}")
    math(EXPR first_addr "0x${first_addr}")
    math(EXPR run_at "${CMRX_BSP_BOOT_RUN_AT}")
    expect("first_addr EQUAL run_at"
        "the boot code is linked at ${first_addr}, not where the ROM runs it (${run_at})")
endif()

# The vector table: first in flash (after any boot header), stack top in
# RAM, reset handler in flash.
run(${READELF} -sW "${elf}")
foreach(sym cmrx_vectors __cmrx_msp_top cmrx_port_reset)
    if(out MATCHES "([0-9a-f]+) +[0-9]+ [A-Z]+ +[A-Z]+ +[A-Z]+ +[A-Z0-9]+ ${sym}\n")
        math(EXPR ${sym} "0x${CMAKE_MATCH_1}")
    else()
        list(APPEND failures "symbol ${sym} not found")
        set(${sym} 0)
    endif()
endforeach()
math(EXPR want_vectors "${flash_lo} + ${boot}")
expect("cmrx_vectors EQUAL want_vectors"
    "the vector table is at ${cmrx_vectors}, not at the start of flash or after the boot header")
file(READ "${out_dir}/demo.bin" head OFFSET ${boot} LIMIT 8 HEX)
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
math(EXPR reset_bit "${reset} & 1")
in_range(${flash_lo} ${flash_hi} ${reset} 1 reset_in_flash)
expect("reset_bit EQUAL 1 AND reset_in_flash" "reset vector ${reset} is no Thumb address in flash")

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
