/* Pieces of the exception entry code every Cortex-M port shares, written
 * in the instructions ARMv6-M has too. Macros for the ports' context.S,
 * which define the labels they branch to: switch_in, set_current and
 * cmrx_port_restore (in: r1 = the thread to load). */

/* Signals are pending for the thread in r1 about to run: let the kernel
 * build its handler frame (it may pick another thread), then run it. */
    .macro WITH_SIGNALS
    mov     r0, r1
    bl      cmrx_switch_in
    mov     r1, r0
    ldr     r3, =cmrx_sched
    b       set_current
    .endm

/* PendSV's deferred work (interrupts' wake-ups, an update's switch), then
 * switch_in. The work's reschedule pends PendSV again, but this run is
 * the switch it asks for: the pend is cleared, then the work re-checked,
 * so an interrupt that posts work after the check has pended a run of its
 * own. Uses r0-r3 and what a C call clobbers. */
    .equ ICSR_ADDR,      0xE000ED04     /* SCB_ICSR (scs.h) */
    .equ ICSR_PENDSVCLR, 0x08000000     /* bit 27 */
    .macro DEFERRED_WORK
7:  ldr     r2, =cmrx_deferred_pending
    ldr     r2, [r2]
#if __ARM_ARCH_ISA_THUMB >= 2
    cbz     r2, switch_in
#else
    cmp     r2, #0
    beq     switch_in
#endif
    bl      cmrx_kernel_deferred
    ldr     r2, =ICSR_ADDR
    ldr     r3, =ICSR_PENDSVCLR
    str     r3, [r2]
    b       7b
    .endm

/* The kernel trace (CMRX_TRACE_EVENTS; kernel/src/trace.c): the thread in
 * r1 is about to replace cmrx_sched.current (at [r3]); if it is another
 * thread, record the switch. Keeps r1 and r3; lr is free here (the
 * thread's EXC_RETURN comes from its TCB). Nothing without the trace. */
    .macro TRACE_SWITCH
#if CMRX_TRACE_EVENTS
    ldr     r0, [r3]
    cmp     r0, r1
    beq     9f
    push    {r1, r3}
    mov     r0, r1
    bl      cmrx_trace_switch
    pop     {r1, r3}
9:
#endif
    .endm

/* An RPC method returns: its registers are thrown away, so only its stack
 * pointer (in \sp; its result is in the frame there) goes to the TCB
 * before the kernel puts the caller's context back. */
    .macro RPC_RETURN sp=r0
    ldr     r3, =cmrx_sched
    ldr     r1, [r3]
    str     \sp, [r1]               /* ctx.sp */
    mov     r0, r1
    bl      ctx_rpc_return
    b       switch_in
    .endm

/* A system call number (r1) beyond the table. 255 from privileged thread
 * mode is the kernel's own start call: drop privilege, reclaim the main
 * stack, start the tick and load the first thread (cmrx_sched.current).
 * Any other number returns CMRX_ENOSYS in the frame at \sp. */
    .macro SVC_UNKNOWN sp=r0
    cmp     r1, #255
    bne     1f
    mrs     r3, control
    lsls    r3, r3, #31             /* CONTROL.nPRIV (bit 0) clear: privileged */
    beq     2f
1:  movs    r1, #6
    mvns    r1, r1                  /* CMRX_ENOSYS (-7) */
    str     r1, [\sp]
    bx      lr
2:  ldr     r0, =__cmrx_msp_top
    msr     msp, r0
    movs    r0, #1                  /* CONTROL.nPRIV: threads run unprivileged */
    msr     control, r0
    isb
    ldr     r0, =0xE000E010         /* SYST_CSR */
    movs    r2, #7                  /* ENABLE | TICKINT | CLKSOURCE=CPU */
    str     r2, [r0]
    /* The counter holds 0 until it first loads the reload value, and 0
     * reads as a tick's end: cmrx_time_us() would say a whole tick had
     * passed, then go back. Start the threads once it has loaded. */
3:  ldr     r2, [r0, #8]            /* SYST_CVR */
    cmp     r2, #0
    beq     3b
    ldr     r3, =cmrx_sched
    ldr     r1, [r3]
    b       cmrx_port_restore
    .endm

