/* Fault policy: a fault is reported, and what it costs depends on where it
 * happened and on the faulting process's declared policy.
 *
 *  - in an RPC callee: the call ends with CMRX_ERPC_FAULT and the caller
 *    carries on (the thread is the caller's);
 *  - otherwise the faulting thread is killed;
 *  - then, for kill-process or restart, the whole process goes (and is
 *    started again for restart).
 *
 * The port decodes the CPU's fault registers into a struct cmrx_fault.
 * The report's first line is followed by the link register and the RPC
 * chain, innermost call first, each method by its code address: cmrx
 * decodes them against the ELF into functions and source lines
 * (docs/debugging.md).
 * Faults of the kernel itself are panics: there is nothing left to trust.
 */
#include "kernel.h"

static const char *const policy_names[] = {"kill-thread", "kill-process", "restart"};

/* The lines after a fault's first: LR, then one per RPC level the thread
 * is in, "rpc N: caller -> callee method=ADDR". A signal frame between
 * calls is no level: the handler runs in the process it interrupted. */
static void report_chain(const struct cmrx_thread *t, const struct cmrx_fault *f)
{
    if (f->pc_valid) {
        kprintf("  lr=0x%08lx\n", (unsigned long)f->lr);
    }
    for (const struct cmrx_call_frame *c = t->frames; c != NULL; c = c->prev) {
        if (c->kind == CMRX_FRAME_RPC) {
            const struct cmrx_process *caller =
                (const struct cmrx_process *)(const void *)c->saved.mpu_image;
            kprintf("  rpc %u: %s -> %s method=0x%08lx\n", (unsigned)c->depth, caller->name,
                    c->callee->name, (unsigned long)c->method);
        }
    }
}

void cmrx_fault_current(const struct cmrx_fault *f)
{
    struct cmrx_thread *t = cmrx_sched.current;
    const struct cmrx_process *p = thread_active(t);
    bool in_call = t->frames != NULL && t->frames->kind == CMRX_FRAME_RPC;
    TRACE(CMRX_TR_FAULT, t, TRACE_PROC(p), 0, f->pc_valid ? f->pc : 0u);
    kprintf("FAULT process=%s thread=%d pc=%A addr=%A cause=\"%s: %s\" action=%s%s\n", p->name,
            thread_id(t), (int)f->pc_valid, (unsigned long)f->pc, (int)f->addr_valid,
            (unsigned long)f->addr, f->kind, f->cause, in_call ? "abort-rpc," : "",
            policy_names[p->policy]);
    report_chain(t, f);
    if (in_call) {
        rpc_unwind(t, CMRX_ERPC_FAULT);
    } else {
        thread_finish(t, CMRX_EKILLED);
    }
    if (p->policy != CMRX_POLICY_KILL_THREAD) {
        process_kill(p, p->policy == CMRX_POLICY_RESTART, true);
    }
    sched_reschedule();
}

void cmrx_panic(const char *kind, const char *what, uint32_t pc, uint32_t addr)
{
    kprintf("KERNEL PANIC: %s: %s pc=%A addr=%A\n", kind, what, 1, (unsigned long)pc, 1,
            (unsigned long)addr);
    console_flush();
#if CMRX_TRACE_EVENTS
    trace_dump();
#endif
    bsp_shutdown(CMRX_PANIC_EXIT);
}
