# The symbol names `nm` lists, for the SDK's scripts run with cmake -P
# (check_process_symbols.cmake, link_updatable.cmake), which include this:
#   cmrx_nm_symbols(OUT var KIND defined [GLOBAL] FILES file...)
#   cmrx_nm_symbols(OUT var KIND undefined FILES file...)
# defined: the symbols the files define (GLOBAL: the global ones only);
# undefined: those they use and do not define. NM names the tool.
function(cmrx_nm_symbols)
    cmake_parse_arguments(A "GLOBAL" "OUT;KIND" "FILES" ${ARGN})
    if(A_KIND STREQUAL "defined")
        set(args --defined-only)
        if(A_GLOBAL)
            list(APPEND args -g)
        endif()
        set(prefix "[0-9a-fA-F]+ [A-Za-z] ") # address, type, name
    else()
        set(args -u)
        set(prefix "[ \t]U ")
    endif()
    execute_process(COMMAND ${NM} ${args} ${A_FILES} OUTPUT_VARIABLE out RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "cmrx: ${NM} ${args} ${A_FILES} failed")
    endif()
    string(REGEX MATCHALL "${prefix}[^\n]+" syms "${out}")
    string(REGEX REPLACE "${prefix}" "" syms "${syms}")
    set(${A_OUT} "${syms}" PARENT_SCOPE)
endfunction()
