/* ARMv6-M exception entry points: context switch (PendSV), system calls
 * (SVC) and the HardFault entry, in the Thumb-1 subset ARMv6-M has: no
 * IT blocks, no CBZ, STM/LDM of low registers only, r8-r11 reached through
 * MOV. The structure is that of common/context_mainline.S: kernel
 * exceptions all run at the same, lowest priority and never preempt one
 * another; interrupts above it only post work (cmrx_irq_isr).
 *
 * Two things differ from ARMv7-M:
 *  - Unprivileged code has no atomic read-modify-write. Its atomics are a
 *    restartable sequence (user/atomic.c, cmrx_ras_begin..cmrx_ras_end):
 *    a thread switched out inside it resumes at its start.
 *  - A fault while the CPU stacks a thread's SVC leaves that SVC pending,
 *    and ARMv6-M cannot cancel it. The fault handler then sets
 *    cmrx_svc_stale and pends PendSV: the stale SVC, which runs before
 *    PendSV (lower exception number, same priority), is dropped; PendSV
 *    clears the flag if no SVC came. */
#include <cmrx/sys/syscalls.h>

#include "port.h"

    .syntax unified
    .thumb
    .text

#include "../common/context_common.S"

/* Offsets into struct cmrx_thread (checked in common/cortexm.c). */
    .equ CTX_R4,          4
    .equ CTX_R8,          20
    .equ CTX_MPU_IMAGE,   40
    .equ CTX_MPU_STACK,   44
    .equ CTX_MPU_RPC,     52
    .equ OFF_SIG_PENDING, CMRX_PORT_CTX_SIZE
    .equ FRAME_PC,        24
    .equ MPU_RBAR_ADDR,   0xE000ED9C
    .equ EXC_RETURN_PSP,  0xFFFFFFFD

/* Save the running thread's context into its TCB: sp and r4-r11 (there is
 * no FP state, and EXC_RETURN is always EXC_RETURN_PSP for a thread).
 * In: r3 = &cmrx_sched, r0 = the thread, not NULL (see cmrx_port_pendsv).
 * Out: r2 = its stack pointer. Uses r1 and, once saved, r4-r7. */
    .macro SAVE_CONTEXT
    mrs     r2, psp
    str     r2, [r0]
    mov     r1, r0
    adds    r1, #CTX_R4
    stmia   r1!, {r4-r7}
    mov     r4, r8
    mov     r5, r9
    mov     r6, r10
    mov     r7, r11
    stmia   r1!, {r4-r7}
    .endm

/* Write two (RBAR, RASR) pairs from [r2] (advancing r2) through r0 = RBAR.
 * Each RBAR value carries VALID and its region number. Uses r4-r7. */
    .macro MPU_TWO_REGIONS
    ldmia   r2!, {r4-r7}
    str     r4, [r0]
    str     r5, [r0, #4]
    str     r6, [r0]
    str     r7, [r0, #4]
    .endm

/* PendSV: finish deferred interrupt work, then switch to cmrx_sched.next. */
    .global cmrx_port_pendsv
    .type cmrx_port_pendsv, %function
    .thumb_func
cmrx_port_pendsv:
    ldr     r3, =cmrx_sched
    ldr     r0, [r3]
    /* A thread the kernel ended while it ran is not saved: its slot may
     * hold a new thread already. */
    cmp     r0, #0
    beq     1f
    SAVE_CONTEXT
    /* Inside the restartable sequence: resume at its start. */
    ldr     r1, [r2, #FRAME_PC]
    ldr     r4, =cmrx_ras_begin
    ldr     r5, =cmrx_ras_end
    subs    r1, r1, r4
    subs    r5, r5, r4
    cmp     r1, r5
    bhs     1f
    str     r4, [r2, #FRAME_PC]
1:  ldr     r1, =cmrx_svc_stale
    movs    r4, #0
    str     r4, [r1]
    DEFERRED_WORK

/* Run cmrx_sched.next: deliver its signals if any, then load it. */
switch_in:
    ldr     r3, =cmrx_sched
    ldr     r1, [r3, #4]
    ldr     r2, [r1, #OFF_SIG_PENDING]
    cmp     r2, #0
    bne     with_signals
set_current:
    TRACE_SWITCH
    str     r1, [r3]                /* current = next */

/* Load the thread in r1: its MPU map, then its registers. */
cmrx_port_restore:
    ldr     r0, =MPU_RBAR_ADDR
    ldr     r2, [r1, #CTX_MPU_IMAGE]
    MPU_TWO_REGIONS                 /* regions 2, 3 */
    MPU_TWO_REGIONS                 /* regions 4, 5 */
    ldr     r4, [r1, #CTX_MPU_STACK]   /* region 6: the thread's stack */
    ldr     r5, [r1, #CTX_MPU_STACK + 4]
    ldr     r2, [r1, #CTX_MPU_RPC]     /* region 7: a caller's .shared, or off */
    ldmia   r2!, {r6, r7}
    str     r4, [r0]
    str     r5, [r0, #4]
    str     r6, [r0]
    str     r7, [r0, #4]
    mov     r2, r1
    adds    r2, #CTX_R8
    ldmia   r2!, {r4-r7}
    mov     r8, r4
    mov     r9, r5
    mov     r10, r6
    mov     r11, r7
    ldr     r2, [r1]
    msr     psp, r2
    adds    r1, #CTX_R4
    ldmia   r1!, {r4-r7}
    dsb                             /* MPU writes complete before the thread runs */
    ldr     r0, =EXC_RETURN_PSP
    bx      r0

with_signals:
    WITH_SIGNALS
    .ltorg
    .size cmrx_port_pendsv, .-cmrx_port_pendsv

/* SVC: the call number is the SVC immediate. Fast calls take r0-r3 from
 * the exception frame (a late-arriving interrupt may have used the
 * registers) and return in its r0. Context calls save the whole context
 * first, let the kernel rewrite it, and leave through switch_in. */
    .global cmrx_port_svc
    .type cmrx_port_svc, %function
    .thumb_func
cmrx_port_svc:
    ldr     r1, =cmrx_svc_stale
    ldr     r2, [r1]
    cmp     r2, #0
    bne     svc_stale
    mrs     r0, psp
    ldr     r1, [r0, #FRAME_PC]     /* just after the SVC */
    subs    r1, #2
    ldrb    r1, [r1]                /* SVC immediate */
    cmp     r1, #CMRX_SYS_CTX_FIRST
    bhs     svc_context
    ldr     r2, =cmrx_syscall_table
    lsls    r1, r1, #2
    ldr     r2, [r2, r1]
    mov     r12, r2
    push    {r0, lr}
    ldmia   r0, {r0-r3}
    blx     r12
    pop     {r1, r2}
    str     r0, [r1]                /* result into the caller's r0 */
    bx      r2
/* The SVC of a thread that faulted while stacking it: not ours to run. */
svc_stale:
    movs    r2, #0
    str     r2, [r1]
    bx      lr
svc_context:
    cmp     r1, #CMRX_SYS_RPC_RETURN    /* the last context call */
    beq     svc_rpc_return
    bhi     svc_unknown
#if CMRX_SYS_RPC_RETURN != CMRX_SYS_COUNT - 1
#error "the RPC return must be the last system call"
#endif
    ldr     r2, =cmrx_ctx_syscall_table - 4 * CMRX_SYS_CTX_FIRST
    lsls    r1, r1, #2
    ldr     r1, [r2, r1]
    mov     r12, r1
    ldr     r3, =cmrx_sched
    ldr     r0, [r3]
    SAVE_CONTEXT
    blx     r12                     /* handler(current) */
    b       switch_in
svc_rpc_return:
    RPC_RETURN

svc_unknown:
    SVC_UNKNOWN
    .ltorg
    .size cmrx_port_svc, .-cmrx_port_svc

/* HardFault, the only fault ARMv6-M has. One taken from the process stack
 * was raised by a thread: the kernel kills it or unwinds it to its RPC
 * caller, so its registers are not worth saving; its frame pointer and
 * r4-r7 go to its TCB for the decoder (fault.c). Anything else is a fault
 * of the kernel itself. */
    .global cmrx_port_hardfault
    .type cmrx_port_hardfault, %function
    .thumb_func
cmrx_port_hardfault:
    mov     r0, lr
    lsls    r0, r0, #29             /* EXC_RETURN bit 2 (process stack) into N */
    bpl     kernel_fault
    ldr     r3, =cmrx_sched
    ldr     r0, [r3]
    mrs     r2, psp
    str     r2, [r0]                /* ctx.sp: the frame, if it was stacked */
    mov     r1, r0
    adds    r1, #CTX_R4
    stmia   r1!, {r4-r7}
    bl      cmrx_port_fault         /* (thread) */
    b       switch_in
kernel_fault:
    mrs     r0, msp
    mov     r1, lr
    movs    r2, #3
    bl      cmrx_port_kernel_fault  /* does not return */
    .ltorg
    .size cmrx_port_hardfault, .-cmrx_port_hardfault

/* void block_copy(uintptr_t to, uintptr_t from, uintptr_t end): copy the
 * 32-byte blocks [from, end) to `to`, word aligned. Four low registers
 * per load and store: all ARMv6-M has. */
    .global block_copy
    .type block_copy, %function
    .thumb_func
block_copy:
    cmp     r1, r2
    bhs     2f
    push    {r4-r7}
1:  ldmia   r1!, {r3-r6}
    stmia   r0!, {r3-r6}
    ldmia   r1!, {r3-r6}
    stmia   r0!, {r3-r6}
    cmp     r1, r2
    blo     1b
    pop     {r4-r7}
2:  bx      lr
    .size block_copy, .-block_copy

/* void stack_scrub(uintptr_t from, uintptr_t to): zero [from, to) of a
 * thread's stack; both ends are multiples of 32 (slot bases and MPU
 * boundaries are). Four low registers per store: all ARMv6-M has. */
    .global stack_scrub
    .type stack_scrub, %function
    .thumb_func
stack_scrub:
    cmp     r0, r1
    bhs     2f
    push    {r4, r5}
    movs    r2, #0
    movs    r3, #0
    movs    r4, #0
    movs    r5, #0
1:  stmia   r0!, {r2-r5}
    stmia   r0!, {r2-r5}
    cmp     r0, r1
    blo     1b
    pop     {r4, r5}
2:  bx      lr
    .size stack_scrub, .-stack_scrub
