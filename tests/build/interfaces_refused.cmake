# An updatable process serves at most CMRX_UPDATE_MAX_INTERFACES (8)
# interfaces, each named in at most CMRX_UPDATE_IFACE_NAME_MAX bytes: the
# SDK's seal step refuses more at the build, naming the process and the
# limit (the kernel refuses such an image too: tests/unit/test_update.c).
# 8 interfaces build.
#   cmake -DBINARY=... -DCMRX_DIR=... -P interfaces_refused.cmake
cmake_minimum_required(VERSION 3.24)
file(REMOVE_RECURSE "${BINARY}")
include(${CMAKE_CURRENT_LIST_DIR}/one_project.cmake)

# build(NAME COUNT NAMELEN): an updatable process serving COUNT interfaces,
# the first one's type name NAMELEN characters long.
macro(build name count namelen)
    string(REPEAT "x" ${namelen} long)
    set(src "#include <cmrx/cmrx.h>\nstatic int f(void *s) { (void)s; return 0; }\n")
    foreach(i RANGE 1 ${count})
        set(t "i${i}")
        if(i EQUAL 1)
            set(t "${long}")
        endif()
        string(APPEND src "struct ${t} { int (*f)(void *s); };\n"
            "CMRX_VTABLE(struct ${t}, vt${i}) = {f};\n"
            "CMRX_SERVICE struct { const void *vt; } o${i} = {&vt${i}};\n")
    endforeach()
    build_project("${BINARY}/${name}" "${src}" "cmrx_use_board(qemu-mps2-an385)
cmrx_add_process(NAME many SOURCES proc.c THREADS 0 FLASH_RESERVE 4096 RAM_RESERVE 256)
cmrx_add_firmware(NAME fw PROCESSES many)
")
endmacro()

build(eight 8 2)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "an updatable process serving 8 interfaces did not build:\n${out}")
endif()
build(nine 9 2)
if(rc EQUAL 0)
    message(FATAL_ERROR "an updatable process serving 9 interfaces was built:\n${out}")
endif()
if(NOT flat MATCHES "process many serves 9 interfaces; an updatable process may serve at most 8")
    message(FATAL_ERROR "the refusal does not say why:\n${out}")
endif()
# "struct " and 41 characters: 48 bytes with the NUL, one too many.
build(long 1 41)
if(rc EQUAL 0)
    message(FATAL_ERROR "an interface name of 49 bytes was built:\n${out}")
endif()
if(NOT flat MATCHES "process many: the name of an interface it serves is longer than 48 bytes")
    message(FATAL_ERROR "the refusal does not say why:\n${out}")
endif()
build(fits 1 40)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "an interface name of 48 bytes did not build:\n${out}")
endif()
message(STATUS "interfaces: 8 and a 48-byte name built; 9 and a 49-byte name refused")
