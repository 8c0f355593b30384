# A process that names a kernel symbol must not build: the SDK refuses it
# and names the symbols (kernel/cmake/check_process_symbols.cmake). A
# process that names only the user library and linker-script symbols
# builds.
#   cmake -DBINARY=... -DCMRX_DIR=... -P kernel_symbol_refused.cmake
cmake_minimum_required(VERSION 3.24)
file(REMOVE_RECURSE "${BINARY}")

include(${CMAKE_CURRENT_LIST_DIR}/one_project.cmake)
# build(NAME SOURCE): a one-process firmware whose process is SOURCE.
macro(build name source)
    build_project("${BINARY}/${name}" "${source}" "cmrx_use_board(qemu-mps2-an385)
cmrx_add_process(NAME sneak SOURCES proc.c SYSTEM)
cmrx_add_firmware(NAME fw PROCESSES sneak)
")
endmacro()

set(header "#include <cmrx/cmrx.h>\n#include <stdint.h>\n")
string(CONCAT allowed "${header}extern uint8_t __cmrx_kbss_start[];\n"
    "static int m(void *a) { (void)a; return (int)(uintptr_t)__cmrx_kbss_start; }\n"
    "CMRX_THREAD(m, NULL);\n")
build(allowed "${allowed}")
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "a process using only the user library did not build:\n${out}")
endif()

string(CONCAT refused "${header}extern uint8_t cmrx_threads[];\n"
    "void rpc_evict(const void *p, int r);\n"
    "static int m(void *a) { (void)a; rpc_evict(0, 0); return cmrx_threads[0]; }\n"
    "CMRX_THREAD(m, NULL);\n")
build(refused "${refused}")
if(rc EQUAL 0)
    message(FATAL_ERROR "a process naming kernel symbols was built:\n${out}")
endif()
if(NOT flat MATCHES "cmrx: process sneak uses kernel symbols: cmrx_threads, rpc_evict")
    message(FATAL_ERROR "the refusal does not name the symbols:\n${out}")
endif()

# printf from a process: refused before the link, in one line that says
# what to use instead (not newlib's undefined system calls).
string(CONCAT prints "${header}#include <stdio.h>\n"
    "static int m(void *a) { (void)a; printf(\"%d\", 5); puts(\"x\"); return 0; }\n"
    "CMRX_THREAD(m, NULL);\n")
build(prints "${prints}")
if(rc EQUAL 0)
    message(FATAL_ERROR "a process calling printf was built:\n${out}")
endif()
if(NOT flat MATCHES "cmrx: process sneak calls printf, puts, but a process has no stdout: use cmrx_printf\\(\\) of <cmrx/console.h>")
    message(FATAL_ERROR "the refusal of printf does not say what to use:\n${out}")
endif()
if(flat MATCHES "undefined reference")
    message(FATAL_ERROR "printf reached the linker:\n${out}")
endif()
