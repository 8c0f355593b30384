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
 * pointer (in r0; its result is in the frame there) goes to the TCB before
 * the kernel puts the caller's context back. */
    .macro RPC_RETURN
    ldr     r3, =cmrx_sched
    ldr     r1, [r3]
    str     r0, [r1]                /* ctx.sp */
    mov     r0, r1
    bl      ctx_rpc_return
    b       switch_in
    .endm

/* A system call number (r1) beyond the table. 255 from privileged thread
 * mode is the kernel's own start call: drop privilege, reclaim the main
 * stack, start the tick and load the first thread (cmrx_sched.current).
 * Any other number returns CMRX_ENOSYS in the frame at r0. */
    .macro SVC_UNKNOWN
    cmp     r1, #255
    bne     1f
    mrs     r2, control
    movs    r3, #1                  /* CONTROL.nPRIV clear: privileged */
    tst     r2, r3
    beq     2f
1:  movs    r1, #6
    mvns    r1, r1                  /* CMRX_ENOSYS (-7) */
    str     r1, [r0]
    bx      lr
2:  ldr     r0, =__cmrx_msp_top
    msr     msp, r0
    movs    r0, #1                  /* CONTROL.nPRIV: threads run unprivileged */
    msr     control, r0
    isb
    ldr     r0, =0xE000E010         /* SYST_CSR */
    movs    r2, #7                  /* ENABLE | TICKINT | CLKSOURCE=CPU */
    str     r2, [r0]
    ldr     r3, =cmrx_sched
    ldr     r1, [r3]
    b       cmrx_port_restore
    .endm

