# The attacks, one per class (see docs/security.md).
_attack_process(bystander SOURCES ${ATTACK_DIR}/bystander.c ARGS THREADS 1 PRIORITY 25)

set(arch_def "")
if(CMRX_BSP_MPU_ARCH STREQUAL "armv8m")
    set(arch_def CMRX_ATTACK_ARMV8M)
endif()

# 1. A signal frame built where the thread's stack pointer says, and
#    forged by its handler: memory map, SYSTEM rights, Handler mode.
attack_test(NAME sigframe SOURCES ${ATTACK_DIR}/a_sigframe.c
    ARGS THREADS 3 PRIORITY 20 STACK_SIZE 2048 DEFINES ${arch_def} EXTRA bystander
    EXPECT "process=attack_sigframe thread=[0-9]+: no room in its stack \\(sp=[0-9a-f]+\\) for a signal handler")

# 2. The kernel writing a system call's result into the caller's own,
#    hidden signal frame.
attack_test(NAME joinframe SOURCES ${ATTACK_DIR}/a_joinframe.c
    ARGS THREADS 3 PRIORITY 20 STACK_SIZE 1024 DEFINES ${arch_def} EXTRA bystander
    EXPECT "join into the frame returned -6")

# 3. A stack window stretched over a neighbour: the attacker's stacks
#    biggest, then the victim's 2 KiB stack, then the attacker's .data.
attack_test(NAME stackwin SOURCES ${ATTACK_DIR}/a_stackwin.c
    ARGS THREADS 2 PRIORITY 20 STACK_SIZE 4096 DEFINES ${arch_def}
    EXPECT "process=attack_stackwin thread=[0-9]+: no room in its stack \\(sp=[0-9a-f]+\\) for a signal handler")

# 4. A callee arming a signal handler and timer on its caller's thread.
attack_test(NAME rpchijack SOURCES ${ATTACK_DIR}/a_rpchijack.c LURE
    ARGS THREADS 1 PRIORITY 20 TIMERS 1 EXPECT "signal handler -8, timer -8")

# 5. FPU registers across a switch and across RPC, both ways.
if(NOT CMRX_BSP_FPU STREQUAL "none")
    attack_test(NAME fpu SOURCES ${ATTACK_DIR}/a_fpu.c LURE ARGS THREADS 1 PRIORITY 20
        EXPECT "attacker: done, 3 attempts")
endif()

# 6. Dead stack data across RPC, both ways.
attack_test(NAME stackleak SOURCES ${ATTACK_DIR}/a_stackleak.c LURE
    ARGS THREADS 1 PRIORITY 20 STACK_SIZE 2048 EXPECT "attacker: done, 2 attempts")

# 7. Semihosting from a process: a file on the host, the end of the run.
set(host_file ${CMAKE_BINARY_DIR}/attack_semihost_written_by_firmware.txt)
attack_test(NAME semihost SOURCES ${ATTACK_DIR}/a_semihost.c
    ARGS THREADS 2 PRIORITY 20 DEFINES "ATTACK_HOST_FILE=\"${host_file}\"" HOST_FILE ${host_file}
    EXPECT "FAULT process=attack_semihost [^\n]*BKPT.*FAULT process=attack_semihost [^\n]*BKPT")

# 8. Kernel hangs: a timer period that wraps to zero; a SYSTEM process
#    killing (restarting) a process its own thread is nested in.
attack_test(NAME itimer SOURCES ${ATTACK_DIR}/a_itimer.c ARGS THREADS 1 PRIORITY 20 TIMERS 1
    EXPECT "setitimer\\(0xFFFFFFFF\\) = 0" TIMEOUT 60)
_attack_process(nest_p SOURCES ${ATTACK_DIR}/nest_p.c ARGS THREADS 0)
attack_test(NAME nestkill SOURCES ${ATTACK_DIR}/a_nestkill.c ARGS THREADS 1 PRIORITY 20 SYSTEM
    EXTRA nest_p EXPECT "kill P: the call returned -107.*restart P: the call returned -107.*P answers again: 42"
    TIMEOUT 60)

# 9. Starvation: a thread above its process's priority; a restart storm;
#    a client held hostage by a service so it never restarts.
attack_test(NAME prio SOURCES ${ATTACK_DIR}/a_prio.c ARGS THREADS 2 PRIORITY 20
    EXPECT "a priority-0 thread: -8.*raising itself to priority 1: -8" TIMEOUT 60)
attack_test(NAME storm SOURCES ${ATTACK_DIR}/a_storm.c
    ARGS THREADS 1 PRIORITY 5 FAULT_POLICY restart
    EXPECT "process attack_storm restarts in 20 ms.*process attack_storm restarts in 40 ms" TIMEOUT 60)
_attack_process(hostage_client SOURCES ${ATTACK_DIR}/hostage_client.c
    ARGS THREADS 2 PRIORITY 15 FAULT_POLICY restart)
attack_test(NAME hostage SOURCES ${ATTACK_DIR}/a_hostage.c ARGS THREADS 1 PRIORITY 20
    EXTRA hostage_client TIMEOUT 60
    EXPECT "did not return from attack_hostage; stopped there.*hostage_client: started, restarts=1")

# 10. Smaller: thread ids that repeat; a service object forged in a
#     caller's .shared; RPC arguments read past the caller's memory.
attack_test(NAME tidreuse SOURCES ${ATTACK_DIR}/a_tidreuse.c ARGS THREADS 2 PRIORITY 20
    EXPECT "no id repeated in 2048 reuses")
attack_test(NAME sharedobj SOURCES ${ATTACK_DIR}/a_sharedobj.c LURE ARGS THREADS 1 PRIORITY 20
    EXPECT "calling the forged object: -100")
attack_test(NAME rpcargs SOURCES ${ATTACK_DIR}/a_rpcargs.c ARGS THREADS 2 PRIORITY 20
    EXPECT "the call with arguments past our memory: -6")

# 11. Live update: flash past the end of a process's slot; a slot staged
#     from memory the updater may not read. Two updatable processes (QEMU
#     lets the kernel write these boards' flash).
if(CMRX_BSP_FLASH_DRIVER STREQUAL "sram")
    foreach(t 0 1)
        _attack_process(slot_t${t} SOURCES ${ATTACK_DIR}/slot_target.c
            ARGS THREADS 0 FLASH_RESERVE 4096 RAM_RESERVE 512 VERSION 1
            DEFINES SLOT_SVC=slot_t${t}_svc)
    endforeach()
    attack_test(NAME slotedge SOURCES ${ATTACK_DIR}/a_slotedge.c
        ARGS THREADS 1 PRIORITY 20 UPDATER EXTRA slot_t0 slot_t1
        EXPECT "writing 4 bytes at slot_t1's end: -1, none: -1")
    # ... and an image staged from memory the updater may not read.
    attack_test(NAME slotcopy SOURCES ${ATTACK_DIR}/a_slotcopy.c
        ARGS THREADS 1 PRIORITY 20 UPDATER EXTRA slot_t0 slot_t1
        EXPECT "staging from the victim's secret -6, from kernel RAM -6")
endif()

# 12. Interrupt lines: ring or wait on the kernel's key of another's line,
#     enable or take the line itself (timer0 of the MPS2 images, never
#     started).
if(DEFINED timer0_irq)
    _attack_process(irq_owner SOURCES ${ATTACK_DIR}/irq_owner.c
        ARGS THREADS 1 PRIORITY 15 IRQS ${timer0_irq} DEFINES ATTACK_IRQ=${timer0_irq}u)
    attack_test(NAME irqkey SOURCES ${ATTACK_DIR}/a_irqkey.c DEFINES ATTACK_IRQ=${timer0_irq}u
        EXTRA irq_owner
        EXPECT "notify on line [0-9]+'s key -6, wait on it -6; enable -8, wait -8, disable -8")
endif()

# 13. Rights: a method running on a SYSTEM, UPDATER caller's thread.
_attack_process(priv_client SOURCES ${ATTACK_DIR}/priv_client.c SYSTEM
    ARGS THREADS 1 PRIORITY 12 UPDATER)
attack_test(NAME rights SOURCES ${ATTACK_DIR}/a_rights.c ARGS THREADS 0 EXTRA priv_client
    EXPECT "update info -8, crash record -8, kill -8, shutdown -8")

# 14. Availability through the tick: a low-priority process's many
#     sleepers crowding the tick's wake-up budget.
attack_test(NAME tickflood SOURCES ${ATTACK_DIR}/a_tickflood.c
    ARGS THREADS 64 PRIORITY 20 STACK_SIZE 1024 DEFINES ATTACK_SLEEPERS=63
    EXPECT "attack_tickflood: 63 sleepers of priority 20")

# 15. A method naming its caller's threads (priority, signal, join).
attack_test(NAME callertid SOURCES ${ATTACK_DIR}/a_callertid.c LURE ARGS THREADS 1 PRIORITY 20
    EXPECT "set priority -2, get priority -2, signal -2, join -2; other threads named 0")

# 16. A signal falling due while the thread runs another process's method.
attack_test(NAME sigincall SOURCES ${ATTACK_DIR}/a_sigincall.c ARGS THREADS 1 PRIORITY 20 TIMERS 1
    EXPECT "handler 0, timer 0, [0-9]+ calls; [1-9][0-9]* signals handled, 0 inside")

# 17. A method reading just past its stack window: the caller's call
#     frame above, the caller's stack below its budget.
attack_test(NAME framepeek SOURCES ${ATTACK_DIR}/a_framepeek.c LURE
    ARGS THREADS 1 PRIORITY 20 RPC_STACK 256
    EXPECT "read at the window's limit faulted, below the budget faulted")

# 18. A service that declares the one process it serves (CALLERS), called
#     by another: every call refused by the kernel before a method runs.
_attack_process(vault SOURCES ${ATTACK_DIR}/vault.c ARGS THREADS 0 CALLERS vault_owner)
_attack_process(vault_owner SOURCES ${ATTACK_DIR}/vault_owner.c ARGS THREADS 1 PRIORITY 10)
attack_test(NAME callers SOURCES ${ATTACK_DIR}/a_callers.c ARGS THREADS 1 PRIORITY 20
    EXTRA vault vault_owner
    EXPECT "attack_callers: get -8, put -8" "vault_owner: put 0, the vault still holds 0x5ec2")

# 19. A service object forged in the callee's own memory, from words the
#     callee keeps for its clients.
_attack_process(notary SOURCES ${ATTACK_DIR}/notary.c ARGS THREADS 1 PRIORITY 10)
attack_test(NAME objforge SOURCES ${ATTACK_DIR}/a_objforge.c ARGS THREADS 1 PRIORITY 20
    EXTRA notary
    EXPECT "notes 0 0; the forged object: read -100, add -100; the counter 1")
