/* ARMv7-M exception entry points: context switch (PendSV), system calls
 * (SVC) and fault entry. Kernel exceptions all run at the lowest priority,
 * so none of them preempts another and the kernel needs no locks. */
#include <cmrx/sys/syscalls.h>

    .syntax unified
    .thumb
    .text

/* Offsets into struct cmrx_port_context (checked in port.c). */
    .equ CTX_MPU_IMAGE,  40
    .equ CTX_MPU_THREAD, 44
    .equ CTX_FP,         60
    .equ MPU_RBAR_ADDR,  0xE000ED9C
    .equ SYST_CSR_ADDR,  0xE000E010

/* PendSV: save the current thread, load cmrx_sched.next.
 * Callee-saved registers go to the thread control block rather than the
 * thread's stack, so a thread whose stack pointer is bad cannot make the
 * kernel write outside that thread's memory. */
    .global cmrx_port_pendsv
    .type cmrx_port_pendsv, %function
    .thumb_func
cmrx_port_pendsv:
    ldr     r3, =cmrx_sched
    ldrd    r0, r1, [r3]            /* r0 = current, r1 = next */
    mrs     r2, psp
    stmia   r0, {r2, r4-r11, lr}    /* sp, r4-r11, EXC_RETURN */
#if defined(__ARM_FP)
    tst     lr, #0x10               /* EXC_RETURN[4] == 0: the thread has FP state */
    itt     eq
    addeq   r12, r0, #CTX_FP
    vstmiaeq r12, {s16-s31}         /* also triggers the lazy save of s0-s15 */
#endif
    str     r1, [r3]                /* current = next */

/* Load the thread in r1: its MPU map, then its registers. */
cmrx_port_restore:
    ldr     r0, =MPU_RBAR_ADDR
    ldr     r2, [r1, #CTX_MPU_IMAGE]
    ldmia   r2, {r4-r11}            /* regions 2..5: the active process */
    stmia   r0, {r4-r11}            /* RBAR, RASR and their aliases A1..A3 */
    add     r2, r1, #CTX_MPU_THREAD
    ldmia   r2, {r4-r7}             /* regions 6, 7: stack, RPC */
    stmia   r0, {r4-r7}
    ldmia   r1, {r2, r4-r11, lr}
#if defined(__ARM_FP)
    tst     lr, #0x10
    itt     eq
    addeq   r12, r1, #CTX_FP
    vldmiaeq r12, {s16-s31}
#endif
    msr     psp, r2
    dsb                             /* MPU writes complete before the thread runs */
    bx      lr
    .size cmrx_port_pendsv, .-cmrx_port_pendsv

/* SVC: dispatch the system call whose number is the SVC immediate.
 * Arguments are reloaded from the exception frame: a late-arriving
 * interrupt may have used r0-r3 before this handler runs. */
    .global cmrx_port_svc
    .type cmrx_port_svc, %function
    .thumb_func
cmrx_port_svc:
    tst     lr, #4
    beq     svc_start               /* from the main stack: the kernel starts */
    mrs     r0, psp
    ldr     r1, [r0, #24]           /* stacked PC, just after the SVC */
    ldrb    r1, [r1, #-2]           /* SVC immediate */
    cmp     r1, #CMRX_SYS_COUNT
    bhs     svc_unknown
    ldr     r2, =cmrx_syscall_table
    ldr     r12, [r2, r1, lsl #2]
    push    {r0, lr}
    ldmia   r0, {r0-r3}
    blx     r12
    pop     {r1, lr}
    str     r0, [r1]                /* result into the caller's r0 */
    bx      lr
svc_unknown:
    mvn     r1, #6                  /* CMRX_ENOSYS (-7) */
    str     r1, [r0]
    bx      lr

/* First entry into thread mode: drop privilege, reclaim the main stack,
 * start the tick and load the first thread (cmrx_sched.current). */
svc_start:
    ldr     r0, =__cmrx_msp_top
    msr     msp, r0
    movs    r0, #1                  /* CONTROL.nPRIV: threads run unprivileged */
    msr     control, r0
    isb
    ldr     r0, =SYST_CSR_ADDR
    movs    r2, #7                  /* ENABLE | TICKINT | CLKSOURCE=CPU */
    str     r2, [r0]
    ldr     r3, =cmrx_sched
    ldr     r1, [r3]
    b       cmrx_port_restore
    .size cmrx_port_svc, .-cmrx_port_svc

/* Faults. A fault taken from the process stack was raised by a thread:
 * cmrx_port_fault() reports it and kills the thread. Anything else is a
 * fault of the kernel itself. */
    .macro FAULT_ENTRY name, kind
    .global \name
    .type \name, %function
    .thumb_func
\name:
    movs    r2, #\kind
    b       fault_common
    .size \name, .-\name
    .endm

    FAULT_ENTRY cmrx_port_hardfault, 3
    FAULT_ENTRY cmrx_port_memmanage, 4
    FAULT_ENTRY cmrx_port_busfault, 5
    FAULT_ENTRY cmrx_port_usagefault, 6

    .thumb_func
fault_common:
    mov     r1, lr
    tst     lr, #4
    beq     kernel_fault
    mrs     r0, psp
    push    {r1, lr}
    bl      cmrx_port_fault
    pop     {r1, lr}
    bx      lr
kernel_fault:
    mrs     r0, msp
    b       cmrx_port_kernel_fault
