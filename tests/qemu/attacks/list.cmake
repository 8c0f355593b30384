# The attacks, one per class (see docs/security.md).
_attack_process(bystander SOURCES ${ATTACK_DIR}/bystander.c ARGS THREADS 1 PRIORITY 25)

set(arch_def "")
if(CMRX_BSP_MPU_ARCH STREQUAL "armv8m")
    set(arch_def CMRX_ATTACK_ARMV8M)
endif()

# 1. A signal frame built where the thread's stack pointer says, and
#    forged by its handler: memory map, SYSTEM rights, Handler mode.
attack_test(NAME sigframe SOURCES ${ATTACK_DIR}/a_sigframe.c
    ARGS THREADS 3 PRIORITY 20 STACK_SIZE 2048 DEFINES ${arch_def} EXTRA bystander)

# 2. The kernel writing a system call's result into the caller's own,
#    hidden signal frame.
attack_test(NAME joinframe SOURCES ${ATTACK_DIR}/a_joinframe.c
    ARGS THREADS 3 PRIORITY 20 STACK_SIZE 1024 DEFINES ${arch_def} EXTRA bystander)
