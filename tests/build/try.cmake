# try(NAME BUILD|CONFIGURE "regex"): configure (and build) SOURCE for
# BINARY/NAME with the board in BINARY/NAME/board (or BOARD, if set); it
# must fail at the given step with output matching regex. Failures collect
# in `failures`. For the tests that check what the SDK refuses.
set(failures "")

function(try name step regex)
    set(dir "${BINARY}/${name}")
    set(board "${dir}/board")
    if(BOARD)
        set(board "${BOARD}")
    endif()
    execute_process(COMMAND ${CMAKE_COMMAND} -S "${SOURCE}" -B "${dir}/build" -G Ninja
        "-DCMAKE_TOOLCHAIN_FILE=${CMRX_DIR}/kernel/cmake/toolchain/arm-none-eabi.cmake"
        "-DCMRX_DIR=${CMRX_DIR}" "-DBOARD=${board}"
        RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
    set(failed_at "")
    if(NOT rc EQUAL 0)
        set(failed_at CONFIGURE)
    else()
        execute_process(COMMAND ${CMAKE_COMMAND} --build "${dir}/build" --parallel 2
            RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
        if(NOT rc EQUAL 0)
            set(failed_at BUILD)
        endif()
    endif()
    # CMake wraps configure errors across lines.
    string(REGEX REPLACE "[ \t\r\n]+" " " flat "${out}")
    if(NOT failed_at STREQUAL step)
        set(failures "${failures}\n  ${name}: expected to fail at ${step}, got '${failed_at}':\n${out}"
            PARENT_SCOPE)
    elseif(NOT flat MATCHES "${regex}")
        set(failures "${failures}\n  ${name}: the message does not match '${regex}':\n${out}"
            PARENT_SCOPE)
    endif()
endfunction()

