# One relocatable object of an updatable process that holds the library
# code it uses (cmrx_user, the C library, libgcc), every symbol local but
# those the process exports (CMRX_EXPORT, CMRX_SERVICE): its image calls
# nothing outside its slot, and no other process links to code inside it
# (docs/updating.md).
#   cmake -DCC=gcc -DOBJCOPY=objcopy -DNM=nm "-DFLAGS=-mthumb;-mcpu=..." -DARCHIVE=libp.a
#         -DUSER=libcmrx_user.a -DOUT=cmrxproc_p.o -P link_updatable.cmake
cmake_minimum_required(VERSION 3.24)
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
execute_process(COMMAND ${NM} -g --defined-only ${own} OUTPUT_VARIABLE syms RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "cmrx: ${NM} ${own} failed")
endif()
string(REGEX MATCHALL "[0-9a-fA-F]+ [A-Za-z] [^\n]+" syms "${syms}")
string(REGEX REPLACE "[0-9a-fA-F]+ [A-Za-z] " "" syms "${syms}")
string(REPLACE ";" "\n" syms "${syms}")
file(WRITE "${keep}" "${syms}\n")
# Then with the libraries, whose members it needs come in, made its own.
run(${CC} ${FLAGS} --specs=nano.specs -r -nostdlib ${own} -Wl,--start-group ${USER} -lc -lgcc
    -Wl,--end-group -o ${OUT})
run(${OBJCOPY} --keep-global-symbols=${keep} ${OUT})
