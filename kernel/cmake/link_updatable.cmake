# One relocatable object of an updatable process that holds the library
# code it uses (cmrx_user, the C library, libgcc), every symbol local but
# those the process exports (CMRX_EXPORT, CMRX_SERVICE): its image calls
# no code outside its slot, and no other process links to code inside it;
# what it names of other processes are their services, each declared with
# CMRX_CALLS (docs/updating.md).
#   cmake -DCC=gcc -DOBJCOPY=objcopy -DNM=nm "-DFLAGS=-mthumb;-mcpu=..." -DARCHIVE=libp.a
#         -DUSER=libcmrx_user.a -DOUT=cmrxproc_p.o -P link_updatable.cmake
cmake_minimum_required(VERSION 3.24)
include(${CMAKE_CURRENT_LIST_DIR}/nm_symbols.cmake)
get_filename_component(dir "${OUT}" DIRECTORY)
file(MAKE_DIRECTORY "${dir}")
set(own "${OUT}.own.o")
set(keep "${OUT}.exports")

function(run)
    execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "cmrx: ${ARGN} failed:\n${out}")
    endif()
endfunction()

# Its own code first: what stays global after --localize-hidden is what it exports.
run(${CC} -r -nostdlib -Wl,--whole-archive ${ARCHIVE} -Wl,--no-whole-archive -o ${own})
run(${OBJCOPY} --localize-hidden ${own})
cmrx_nm_symbols(OUT syms KIND defined GLOBAL FILES ${own})
string(REPLACE ";" "\n" syms "${syms}")
file(WRITE "${keep}" "${syms}\n")
# Then with the libraries, whose members it needs come in, made its own.
run(${CC} ${FLAGS} --specs=nano.specs -r -nostdlib ${own} -Wl,--start-group ${USER} -lc -lgcc
    -Wl,--end-group -o ${OUT})
run(${OBJCOPY} --keep-global-symbols=${keep} ${OUT})
# What it still names is another process's: a service it calls, which it
# must declare with CMRX_CALLS so that its image tells the kernel which
# interface it calls there (the kernel checks that before it runs it).
cmrx_nm_symbols(OUT undefined KIND undefined FILES ${OUT})
cmrx_nm_symbols(OUT defined KIND defined FILES ${OUT})
set(bare "")
foreach(sym ${undefined})
    if(NOT "cmrx_calls_${sym}" IN_LIST defined)
        list(APPEND bare ${sym})
    endif()
endforeach()
if(bare)
    get_filename_component(name "${OUT}" NAME_WE)
    string(REGEX REPLACE "^cmrxproc_" "" name "${name}")
    list(GET bare 0 first)
    string(REPLACE ";" ", " bare "${bare}")
    message(FATAL_ERROR "cmrx: updatable process ${name} uses ${bare} of another process without "
        "CMRX_CALLS: declare each object it calls, e.g. CMRX_CALLS(struct <its vtable type>, "
        "${first}); in one of its sources (<cmrx/update.h>), so that its image names the "
        "interface it calls there and the kernel can check it (docs/updating.md)")
endif()
