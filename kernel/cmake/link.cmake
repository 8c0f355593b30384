# The firmware's linker, run through this script (the firmware targets'
# C_LINKER_LAUNCHER): when the image does not fit the board's memory, say so
# per process and region in the SDK's words instead of leaving the reader
# with the linker's section names. The linker's own lines follow.
#   cmake -DFIRMWARE=name -DBOARD=name -P link.cmake -- <linker command...>
cmake_minimum_required(VERSION 3.24)
set(cmd "")
set(after FALSE)
math(EXPR last "${CMAKE_ARGC} - 1")
foreach(i RANGE 1 ${last})
    if(after)
        list(APPEND cmd "${CMAKE_ARGV${i}}")
    elseif(CMAKE_ARGV${i} STREQUAL "--")
        set(after TRUE)
    endif()
endforeach()
execute_process(COMMAND ${cmd} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(rc EQUAL 0)
    if(out OR err)
        message(NOTICE "${out}${err}")
    endif()
    return()
endif()
set(what_of_text "code" data "initialised data" bss "zeroed data" shared "shared memory"
    stack "thread stacks")
set(report "")
string(REGEX MATCHALL "section `[^']+' will not fit in region `[^']+'" fits "${err}")
foreach(f ${fits})
    string(REGEX MATCH "section `([^']+)' will not fit in region `([^']+)'" _ "${f}")
    set(sec "${CMAKE_MATCH_1}")
    set(region "${CMAKE_MATCH_2}")
    if(sec MATCHES "^\\.cmrx\\.p\\.([A-Za-z0-9_]+)\\.(text|data|bss|shared|stack)$")
        set(proc "${CMAKE_MATCH_1}")
        set(kind "${CMAKE_MATCH_2}")
        list(FIND what_of_text "${kind}" k)
        if(kind STREQUAL "text")
            set(kind "code")
        else()
            math(EXPR k "${k} + 1")
            list(GET what_of_text ${k} kind)
        endif()
        string(APPEND report "\ncmrx: process ${proc}: its ${kind} do not fit in ${region} "
            "of board ${BOARD}")
    else()
        string(APPEND report "\ncmrx: the kernel's ${sec} does not fit in ${region} of board ${BOARD}")
    endif()
endforeach()
string(REGEX MATCHALL "region `[^']+' overflowed by [0-9]+ bytes" overs "${err}")
foreach(o ${overs})
    string(REGEX MATCH "region `([^']+)' overflowed by ([0-9]+) bytes" _ "${o}")
    string(APPEND report "\ncmrx: firmware ${FIRMWARE} needs ${CMAKE_MATCH_2} bytes more "
        "${CMAKE_MATCH_1} than board ${BOARD} has")
endforeach()
if(report)
    message(NOTICE "${report}\ncmrx: lower stack_size, threads or static buffers of the processes "
        "named (cmrx.yaml, or cmrx_add_process), or choose a board with more memory; the "
        "memory table of the last build that fitted (cmrx size) shows what each takes.\n"
        "The linker said:\n${out}${err}")
else()
    message(NOTICE "${out}${err}")
endif()
# A failed link fails the build.
message(FATAL_ERROR "cmrx: the link of ${FIRMWARE} failed")
