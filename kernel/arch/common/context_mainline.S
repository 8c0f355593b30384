/* ARMv7-M and ARMv8-M Mainline exception entry points: context switch
 * (PendSV), system calls (SVC) and fault entry. Kernel exceptions all run
 * at the same, lowest priority, so none of them preempts another and the
 * kernel needs no locks; interrupts above that priority only post work
 * (cmrx_irq_isr).
 *
 * Included by the port's context.S, which first defines what differs
 * between the MPUs:
 *   LOAD_MPU           program the memory map of the thread in r1 (its
 *                      active process's image and its own stack and RPC
 *                      regions); may use r0, r2, r3 and r4-r11
 *   KERNEL_FAULT_PREP  make the main stack usable for the panic report
 * and CMRX_PORT_SECUREFAULT (port.h) when SecureFault has an entry. */
#include <cmrx/sys/syscalls.h>

#include "port.h"

    .syntax unified
    .thumb
    .text

#include "context_common.S"

/* Offsets into struct cmrx_thread (checked in common/cortexm.c). */
    .equ CTX_EXC_RETURN, 36
    .equ CTX_MPU_IMAGE,  40
    .equ CTX_MPU_STACK,  44
    .equ CTX_MPU_RPC,    52
    .equ CTX_FP,         56
    .equ OFF_SIG_PENDING, CMRX_PORT_CTX_SIZE
    .equ FPCCR_ADDR,     0xE000EF34

/* Forget FP state the CPU holds lazily for the thread leaving (FPCCR.LSPACT):
 * it is never saved. Uses \tmp (low registers keep it short) and r3. */
    .macro DROP_LAZY_FP tmp=r2
#if defined(__ARM_FP)
    ldr     \tmp, =FPCCR_ADDR
    ldr     r3, [\tmp]
    bic     r3, r3, #1              /* LSPACT */
    str     r3, [\tmp]
#endif
    .endm

/* Save the running thread's context into its TCB: sp, r4-r11, EXC_RETURN
 * and, if it has FP state, s16-s31 (which also makes the CPU store the
 * lazily kept s0-s15 into the thread's frame). Callee-saved registers go
 * to the TCB, not the thread's stack, so a thread with a bad stack pointer
 * cannot make the kernel write outside its memory. FP registers that held
 * a thread's values are marked for scrubbing (FP_MARK). A thread the
 * kernel ended while it ran (current is NULL) is not saved at all: its
 * slot may hold a new thread already, and its lazily kept FP state is
 * dropped, not stored into a stack that may no longer be its.
 * In: r3 = &cmrx_sched, and with have_psp=1 the PSP in r2. Out: r0 = the
 * thread (or NULL). Uses r2, r3, r12. */
    .macro SAVE_CONTEXT have_psp=0
    ldr     r0, [r3]
#if defined(__ARM_FP)
    cbz     r0, 1f
#else
    cbz     r0, 2f
#endif
    .if \have_psp == 0
    mrs     r2, psp
    .endif
    stmia   r0, {r2, r4-r11, lr}
#if defined(__ARM_FP)
    tst     lr, #0x10
    bne     2f
    add     r12, r0, #CTX_FP
    vstmia  r12, {s16-s31}
    FP_MARK r12
    b       2f
1:  DROP_LAZY_FP
    FP_MARK r12
#endif
2:
    .endm

/* The FPU registers hold what a thread left there (EXC_RETURN bit 4 clear
 * in lr: it had FP state): the next context without FP state, which loads
 * none, must not see them. Uses \tmp. */
    .macro FP_MARK tmp
#if defined(__ARM_FP)
    ldr     \tmp, =cmrx_fp_dirty
    str     lr, [\tmp]             /* any non-zero word */
#endif
    .endm


/* PendSV: finish deferred interrupt work, then switch to cmrx_sched.next. */
    .global cmrx_port_pendsv
    .type cmrx_port_pendsv, %function
    .thumb_func
cmrx_port_pendsv:
    ldr     r3, =cmrx_sched
    SAVE_CONTEXT
    DEFERRED_WORK

/* Run cmrx_sched.next: deliver its signals if any, then load it. */
switch_in:
    ldr     r3, =cmrx_sched
    ldr     r1, [r3, #4]
    ldr     r2, [r1, #OFF_SIG_PENDING]
    cbnz    r2, with_signals
set_current:
    TRACE_SWITCH
    str     r1, [r3]                /* current = next */

/* Load the thread in r1: its MPU map, then its registers. A context
 * with FP state gets s16-s31 here and s0-s15, FPSCR from its frame; one
 * without gets them zeroed if another thread's values are in them. The
 * return always goes to Thread mode on the process stack, whatever the
 * saved EXC_RETURN says (only its FP bit is taken). */
cmrx_port_restore:
    LOAD_MPU
    ldmia   r1, {r2, r4-r11, lr}
    and     lr, lr, #0x10
    orn     lr, lr, #0x12           /* 0xFFFFFFFD, or 0xFFFFFFED with FP state */
#if defined(__ARM_FP)
    tst     lr, #0x10
    bne     1f
    add     r12, r1, #CTX_FP
    vldmia  r12, {s16-s31}
    b       3f
1:  ldr     r12, =cmrx_fp_dirty
    ldr     r0, [r12]
    cbz     r0, 3f
    movs    r0, #0
    str     r0, [r12]
    ldr     r3, =cmrx_fp_zeros
    vldmia  r3, {s0-s15}
    vldmia  r3, {s16-s31}
    vmsr    fpscr, r0
3:
#endif
    msr     psp, r2
    dsb                             /* MPU writes complete before the thread runs */
    bx      lr

with_signals:
    WITH_SIGNALS
    .size cmrx_port_pendsv, .-cmrx_port_pendsv

/* SVC: the call number is the SVC immediate. Fast calls take r0-r3 from
 * the exception frame (a late-arriving interrupt may have used the
 * registers) and return in its r0. Context calls save the whole context
 * first, let the kernel rewrite it, and leave through switch_in. */
    .global cmrx_port_svc
    .type cmrx_port_svc, %function
    .thumb_func
cmrx_port_svc:
    mrs     r2, psp                 /* kept for SAVE_CONTEXT */
    ldr     r1, [r2, #24]           /* stacked PC, just after the SVC */
    ldrb    r1, [r1, #-2]           /* SVC immediate */
    cmp     r1, #CMRX_SYS_CTX_FIRST
    bhs     svc_context
    ldr     r0, =cmrx_syscall_table
    ldr     r12, [r0, r1, lsl #2]
    push    {r2, lr}
    ldmia   r2, {r0-r3}
    blx     r12
    pop     {r1, lr}
    str     r0, [r1]                /* result into the caller's r0 */
    bx      lr
svc_context:
    cmp     r1, #CMRX_SYS_RPC_RETURN    /* the last context call */
    beq     svc_rpc_return
    bhi     svc_unknown
#if CMRX_SYS_RPC_RETURN != CMRX_SYS_COUNT - 1
#error "the RPC return must be the last system call"
#endif
    ldr     r0, =cmrx_ctx_syscall_table - 4 * CMRX_SYS_CTX_FIRST
    ldr     r1, [r0, r1, lsl #2]
    ldr     r3, =cmrx_sched
    SAVE_CONTEXT have_psp=1
    blx     r1                      /* handler(current) */
    b       switch_in
/* An RPC method returns: its registers are thrown away, so only its stack
 * pointer (where its result is) goes to the TCB before the kernel puts the
 * caller's context back. An FP context the method left behind in lazy
 * state is dropped, as after a fault. */
svc_rpc_return:
    DROP_LAZY_FP tmp=r0             /* r2 holds the PSP */
#if defined(__ARM_FP)
    tst     lr, #0x10
    bne     1f
    FP_MARK r0
1:
#endif
    RPC_RETURN sp=r2

svc_unknown:
    SVC_UNKNOWN sp=r2
    .size cmrx_port_svc, .-cmrx_port_svc

/* Faults. A fault taken from the process stack was raised by a thread:
 * the kernel kills it or unwinds it to its RPC caller, so its registers
 * are not worth saving; only its frame pointer and EXC_RETURN are kept
 * for the report. Anything else is a fault of the kernel itself. */
    .macro FAULT_ENTRY name, kind
    .global \name
    .type \name, %function
    .thumb_func
\name:
    movs    r1, #\kind
    b       fault_common
    .size \name, .-\name
    .endm

    FAULT_ENTRY cmrx_port_hardfault, 3
    FAULT_ENTRY cmrx_port_memmanage, 4
    FAULT_ENTRY cmrx_port_busfault, 5
    FAULT_ENTRY cmrx_port_usagefault, 6
#if CMRX_PORT_SECUREFAULT
    FAULT_ENTRY cmrx_port_securefault, 7
#endif

    .thumb_func
fault_common:
    tst     lr, #4
    beq     kernel_fault
    /* Drop FP state the CPU still holds lazily for the faulting thread:
     * it must not be saved into a frame that may be bad, nor be taken for
     * the next thread's registers. */
    DROP_LAZY_FP
#if defined(__ARM_FP)
    tst     lr, #0x10
    bne     1f
    FP_MARK r2
1:
#endif
    ldr     r3, =cmrx_sched
    ldr     r0, [r3]
    mrs     r2, psp
    str     r2, [r0]                /* ctx.sp: the frame, for the report */
    str     lr, [r0, #CTX_EXC_RETURN]
    bl      cmrx_port_fault         /* (thread, kind) */
    b       switch_in
kernel_fault:
    KERNEL_FAULT_PREP
    mov     r2, r1
    mrs     r0, msp
    mov     r1, lr
    b       cmrx_port_kernel_fault

/* void block_copy(uintptr_t to, uintptr_t from, uintptr_t end): copy the
 * 32-byte blocks [from, end) to `to`, word aligned: one 8-register load
 * and store per block. */
    .global block_copy
    .type block_copy, %function
    .thumb_func
block_copy:
    cmp     r1, r2
    bhs     2f
    push    {r4-r10}
1:  ldmia   r1!, {r3-r10}
    stmia   r0!, {r3-r10}
    cmp     r1, r2
    blo     1b
    pop     {r4-r10}
2:  bx      lr
    .size block_copy, .-block_copy

/* void stack_scrub(uintptr_t from, uintptr_t to): zero [from, to) of a
 * thread's stack; both ends are multiples of 32 (slot bases and MPU
 * boundaries are). 32 bytes a store, 8 stores a round; the first round
 * is entered part way (len / 32 % 8 stores before its end), so any
 * multiple of 32 takes no test per store and no tail: 256 bytes, an RPC's
 * usual window, are one round. */
    .global stack_scrub
    .type stack_scrub, %function
    .thumb_func
stack_scrub:
    subs    r2, r1, r0
    bls     3f
    push    {r4-r9, lr}
    ubfx    r12, r2, #5, #3         /* stores in the first, partial round */
    adr     lr, 2f + 1              /* Thumb */
    sub     lr, lr, r12, lsl #2     /* each stmia.w below is 4 bytes */
    movs    r2, #0
    movs    r3, #0
    movs    r4, #0
    movs    r5, #0
    movs    r6, #0
    movs    r7, #0
    mov     r8, r2
    mov     r9, r2
    bx      lr
1:  stmia.w r0!, {r2-r9}
    stmia.w r0!, {r2-r9}
    stmia.w r0!, {r2-r9}
    stmia.w r0!, {r2-r9}
    stmia.w r0!, {r2-r9}
    stmia.w r0!, {r2-r9}
    stmia.w r0!, {r2-r9}
    stmia.w r0!, {r2-r9}
2:  cmp     r0, r1
    blo     1b
    pop     {r4-r9, pc}
3:  bx      lr
    .size stack_scrub, .-stack_scrub
