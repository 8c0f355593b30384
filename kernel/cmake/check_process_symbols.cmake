# A process may use the kernel only through system calls: its object must
# not name a symbol the kernel, the board's kernel-side code or the
# generated process table defines. Linking one would call kernel code
# unprivileged or read kernel data by name; refuse the firmware and say
# which process names which symbols. A process that calls newlib's console
# output (printf and its kin) is refused too, in one line that says what to
# use: a process has no stdout, and linking newlib's would end in a dozen
# undefined system calls (_write, _sbrk, ...) that say nothing.
#   cmake -DNM=nm "-DOBJECTS=cmrxproc_a.o;..." "-DKERNEL=libcmrx_kernel.a;config.o;..."
#         -P check_process_symbols.cmake
cmake_minimum_required(VERSION 3.24)
include(${CMAKE_CURRENT_LIST_DIR}/nm_symbols.cmake)
cmrx_nm_symbols(OUT defined KIND defined GLOBAL FILES ${KERNEL})
set(stdout_calls printf vprintf iprintf puts putchar fprintf vfprintf fiprintf fputs fputc putc
    fwrite perror)
set(report "")
foreach(obj ${OBJECTS})
    cmrx_nm_symbols(OUT undefined KIND undefined FILES ${obj})
    set(bad "")
    set(prints "")
    foreach(sym ${undefined})
        if(sym IN_LIST defined)
            list(APPEND bad ${sym})
        elseif(sym IN_LIST stdout_calls)
            list(APPEND prints ${sym})
        endif()
    endforeach()
    get_filename_component(name "${obj}" NAME_WE)
    string(REGEX REPLACE "^cmrxproc_" "" name "${name}")
    if(prints)
        list(SORT prints)
        string(REPLACE ";" ", " prints "${prints}")
        string(APPEND report "\ncmrx: process ${name} calls ${prints}, but a process has no "
            "stdout: use cmrx_printf() of <cmrx/console.h> (the kernel's console), console_printf() "
            "of the uart-console component (docs/components.md), or snprintf() into a buffer")
    endif()
    if(bad)
        list(SORT bad)
        string(REPLACE ";" ", " bad "${bad}")
        string(APPEND report "\ncmrx: process ${name} uses kernel symbols: ${bad}")
    endif()
endforeach()
if(report MATCHES "uses kernel symbols")
    message(FATAL_ERROR "${report}\nA process reaches the kernel only through the system calls "
        "of <cmrx/cmrx.h>: kernel code would run unprivileged, and kernel data is not its to "
        "read.")
elseif(report)
    message(FATAL_ERROR "${report}")
endif()
