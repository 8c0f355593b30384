# Boot one firmware in QEMU and judge it.
#   cmake -DSDK_TOOL=... -DBSP_DIR=... -DELF=... -DEXPECT_FILE=... [-DTIMEOUT=s]
#         [-DREJECT_FILE=...] [-DQEMU_ARGS=arg;...] [-DINPUT_FILE=f] [-DHOST_FILE=path]
#         [-DIMAGE=path] [-DUPDATE_VARS=update.cmake] [-DHOST_RUN=ON] [-DOUT_FILE=path]
#         -P run.cmake
# QEMU is started by the SDK helper (`cmrx-sdk qemu`), with the command line
# `cmrx run` uses for the board in BSP_DIR, and -icount for exact timing.
# INPUT_FILE is what the console UART receives (QEMU's standard input).
# IMAGE: a file that backs the board's storage, erased before the run.
# Passes when QEMU exits with the firmware's exit code 0, every regular
# expression of EXPECT_FILE (one per line, a newline in it written as \n)
# matches the console output, none of REJECT_FILE's does, no check failed,
# no attack succeeded, the kernel did not panic and HOST_FILE (a host path the firmware must not be
# able to create) does not exist.
# UPDATE_VARS: the firmware's update.cmake (slots and commit records of its
# updatable processes), whose variables QEMU_ARGS may name as @VAR@.
if(UPDATE_VARS AND EXISTS "${UPDATE_VARS}")
    include("${UPDATE_VARS}")
    string(CONFIGURE "${QEMU_ARGS}" QEMU_ARGS @ONLY)
endif()
if(NOT TIMEOUT)
    set(TIMEOUT 60)
endif()
# The input comes a second after QEMU starts: an STM32 USART drops what
# arrives before the kernel has enabled its receiver.
if(HOST_FILE)
    file(REMOVE "${HOST_FILE}")
endif()
set(image_args "")
if(IMAGE)
    file(REMOVE "${IMAGE}")
    set(image_args --image ${IMAGE})
endif()
set(feed "")
if(INPUT_FILE)
    set(feed COMMAND sh -c "sleep 1 && cat \"$1\"" sh ${INPUT_FILE})
endif()
# HOST_RUN: board host's firmware is a Linux program, run as it is.
set(run COMMAND ${SDK_TOOL} qemu --icount ${image_args} ${BSP_DIR} ${ELF} ${QEMU_ARGS})
if(HOST_RUN)
    set(run COMMAND ${ELF})
endif()
# The output goes into a file, never into a pipe: a pipe fills when its
# reader is late, QEMU's UART then reports itself busy, and the guest's
# time spent waiting for it depends on the host (a kernel writing a
# console chunk counts it as latency: bound.console saw 150,000+
# instructions). NUL bytes are dropped as it is read back (CMake's strings
# cannot hold them). OUT_FILE is the test's own (tests of one firmware
# run in parallel), by default ELF.out.
set(out_file "${ELF}.out")
if(OUT_FILE)
    set(out_file "${OUT_FILE}")
endif()
execute_process(${feed}
    ${run}
    TIMEOUT ${TIMEOUT}
    OUTPUT_FILE ${out_file} ERROR_VARIABLE err RESULT_VARIABLE rc)
execute_process(COMMAND tr -d "\\000" INPUT_FILE ${out_file} OUTPUT_VARIABLE out)
string(REPLACE "\r" "" out "${out}")
message("${out}${err}")
set(failures "")
if(NOT rc STREQUAL "0")
    list(APPEND failures "QEMU (or the host program) exited with '${rc}', expected 0")
endif()
if(out MATCHES "CHECK FAILED|KERNEL PANIC|ATTACK SUCCEEDED")
    list(APPEND failures "the output reports a failed check, a successful attack or a kernel panic")
endif()
if(HOST_FILE AND EXISTS "${HOST_FILE}")
    list(APPEND failures "the firmware created ${HOST_FILE} on the host")
endif()
if(EXPECT_FILE)
    file(STRINGS ${EXPECT_FILE} expects)
    foreach(re IN LISTS expects)
        string(REPLACE "\\n" "\n" re "${re}")
        if(NOT out MATCHES "${re}")
            list(APPEND failures "output does not match: ${re}")
        endif()
    endforeach()
endif()
if(REJECT_FILE)
    file(STRINGS ${REJECT_FILE} rejects)
    foreach(re IN LISTS rejects)
        string(REPLACE "\\n" "\n" re "${re}")
        if(NOT re STREQUAL "" AND out MATCHES "${re}")
            list(APPEND failures "output matches what it must not: ${re} (${CMAKE_MATCH_0})")
        endif()
    endforeach()
endif()
if(failures)
    string(REPLACE ";" "\n  " failures "${failures}")
    message(FATAL_ERROR "FAILED ${ELF}:\n  ${failures}")
endif()
