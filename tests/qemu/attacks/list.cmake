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

# 3. A stack window stretched over a neighbour: the attacker's stacks
#    biggest, then the victim's 2 KiB stack, then the attacker's .data.
attack_test(NAME stackwin SOURCES ${ATTACK_DIR}/a_stackwin.c
    ARGS THREADS 2 PRIORITY 20 STACK_SIZE 4096 DEFINES ${arch_def})

# 4. A callee arming a signal handler and timer on its caller's thread.
attack_test(NAME rpchijack SOURCES ${ATTACK_DIR}/a_rpchijack.c LURE
    ARGS THREADS 1 PRIORITY 20 TIMERS 1)

# 5. FPU registers across a switch and across RPC, both ways.
if(NOT CMRX_BSP_FPU STREQUAL "none")
    attack_test(NAME fpu SOURCES ${ATTACK_DIR}/a_fpu.c LURE ARGS THREADS 1 PRIORITY 20)
endif()

# 6. Dead stack data across RPC, both ways.
attack_test(NAME stackleak SOURCES ${ATTACK_DIR}/a_stackleak.c LURE
    ARGS THREADS 1 PRIORITY 20 STACK_SIZE 2048)
