# Boot one firmware in QEMU and judge it.
#   cmake -DQEMU=... -DMACHINE=... -DELF=... -DEXPECT_FILE=... [-DTIMEOUT=s] [-DSERIAL=n]
#         [-DQEMU_ARGS=arg;...] -P run.cmake
# SERIAL is the QEMU serial port of the console UART (bsp.yaml qemu.serial):
# the ports before it are connected to nothing.
# Passes when QEMU exits with the firmware's exit code 0, every regular
# expression of EXPECT_FILE (one per line) matches the console output, and
# no check failed and the kernel did not panic.
if(NOT TIMEOUT)
    set(TIMEOUT 60)
endif()
set(serial_args "")
if(SERIAL)
    foreach(i RANGE 1 ${SERIAL})
        list(APPEND serial_args -serial null)
    endforeach()
endif()
execute_process(
    COMMAND ${QEMU} -machine ${MACHINE} ${QEMU_ARGS} -display none -monitor none ${serial_args}
            -serial stdio
            -semihosting-config enable=on,target=native,userspace=on
            -icount shift=0,sleep=off -kernel ${ELF}
    TIMEOUT ${TIMEOUT}
    OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
string(REPLACE "\r" "" out "${out}")
message("${out}${err}")
set(failures "")
if(NOT rc STREQUAL "0")
    list(APPEND failures "QEMU exited with '${rc}', expected 0")
endif()
if(out MATCHES "CHECK FAILED|KERNEL PANIC")
    list(APPEND failures "the output reports a failed check or a kernel panic")
endif()
if(EXPECT_FILE)
    file(STRINGS ${EXPECT_FILE} expects)
    foreach(re IN LISTS expects)
        if(NOT out MATCHES "${re}")
            list(APPEND failures "output does not match: ${re}")
        endif()
    endforeach()
endif()
if(failures)
    string(REPLACE ";" "\n  " failures "${failures}")
    message(FATAL_ERROR "FAILED ${ELF}:\n  ${failures}")
endif()
