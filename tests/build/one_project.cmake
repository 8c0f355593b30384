# build_project(DIR SOURCE CMAKELISTS): write SOURCE as DIR/src/proc.c and
# CMAKELISTS (after the project's preamble and the SDK's include) as
# DIR/src/CMakeLists.txt, configure and build it for the board;
# sets `rc`, `out` and `flat` (the output on one line) in the caller. For
# the tests of what the SDK builds and refuses from one small project.
macro(build_project dir source cmakelists)
    file(WRITE "${dir}/src/proc.c" "${source}")
    file(WRITE "${dir}/src/CMakeLists.txt"
        "cmake_minimum_required(VERSION 3.24)\nproject(t C ASM)\n"
        "include(${CMRX_DIR}/kernel/cmake/cmrx.cmake)\n${cmakelists}")
    execute_process(COMMAND ${CMAKE_COMMAND} -S "${dir}/src" -B "${dir}/build" -G Ninja
        "-DCMAKE_TOOLCHAIN_FILE=${CMRX_DIR}/kernel/cmake/toolchain/arm-none-eabi.cmake"
        RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
    if(rc EQUAL 0)
        execute_process(COMMAND ${CMAKE_COMMAND} --build "${dir}/build"
            RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
    endif()
    string(REGEX REPLACE "[ \t\r\n]+" " " flat "${out}")
endmacro()
