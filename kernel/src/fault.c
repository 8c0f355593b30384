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

#define CRASH_MAGIC 0x43524153u /* "CRAS" */
#define CRASH_PANIC 0xFFu       /* process: none, the kernel panicked */

/* The last fault report as data: what the report prints is printed from
 * it (report()), at the fault and again at the next boot. Strings point
 * into the kernel's image, which the stamp vouches for. */
struct crash_record {
    uint32_t magic; /* CRASH_MAGIC once the record is whole */
    uint32_t stamp; /* port_image_stamp() of the firmware that wrote it */
    const char *kind, *cause;
    uint32_t pc, lr, addr;
    int16_t thread;
    uint8_t process; /* index in cmrx_processes, or CRASH_PANIC */
    uint8_t policy;
    uint8_t flags; /* CMRX_CRASH_* (system.h), as cmrx_crash_record() hands them out */
    uint8_t levels;
    uint8_t pad[2];
    struct {
        uint8_t depth, caller, callee, pad;
        uint32_t method;
    } chain[CMRX_RPC_MAX_DEPTH];
};

/* In RAM the reset leaves alone (linked after the zeroed .bss): a fault
 * that ends in a reset (a watchdog, a panic on a board, cmrx_reboot()) is
 * still there to report at the next boot. */
__attribute__((section(".cmrx.noinit"))) static struct crash_record crash;
/* The previous run's fault, taken at boot for cmrx_crash_record(). */
static struct cmrx_crash_info crash_last;
static bool crash_last_valid;
static uint32_t image_stamp;

/* The record complete: the magic goes in last, so that a reset while the
 * fields are written leaves no record, not a mixed one. */
static void crash_seal(void)
{
    crash.stamp = image_stamp;
    __asm volatile("" ::: "memory");
    crash.magic = CRASH_MAGIC;
}

/* The report of record @p r: the first line, the link register, the RPC
 * chain, innermost call first, "rpc N: caller -> callee method=ADDR" (a
 * signal frame between calls is no level: the handler runs in the process
 * it interrupted). */
static void report(const struct crash_record *r)
{
    if (r->process == CRASH_PANIC) {
        kprintf("KERNEL PANIC: %s: %s pc=%A addr=%A\n", r->kind, r->cause, 1, (unsigned long)r->pc,
                1, (unsigned long)r->addr);
        return;
    }
    kprintf("FAULT process=%s thread=%d pc=%A addr=%A cause=\"%s: %s\" action=%s%s\n",
            cmrx_processes[r->process].name, (int)r->thread, (int)(r->flags & CMRX_CRASH_PC_VALID),
            (unsigned long)r->pc, (int)((r->flags & CMRX_CRASH_ADDR_VALID) != 0),
            (unsigned long)r->addr, r->kind, r->cause,
            (r->flags & CMRX_CRASH_IN_CALL) ? "abort-rpc," : "", policy_names[r->policy]);
    if (r->flags & CMRX_CRASH_PC_VALID) {
        kprintf("  lr=0x%08lx\n", (unsigned long)r->lr);
    }
    for (unsigned i = 0; i < r->levels; i++) {
        kprintf("  rpc %u: %s -> %s method=0x%08lx\n", (unsigned)r->chain[i].depth,
                cmrx_processes[r->chain[i].caller].name, cmrx_processes[r->chain[i].callee].name,
                (unsigned long)r->chain[i].method);
    }
}

void fault_boot(void)
{
    image_stamp = port_image_stamp();
    crash_last_valid = false;
    /* Power-on garbage would need the magic and then the stamp to match (2^-64). */
    if (crash.magic != CRASH_MAGIC ||
        (crash.process != CRASH_PANIC && crash.process >= cmrx_process_count) ||
        crash.levels > CMRX_RPC_MAX_DEPTH ||
        crash.policy >= sizeof(policy_names) / sizeof(policy_names[0])) {
        crash.magic = 0; /* power-on garbage, or nothing happened */
        return;
    }
    if (crash.stamp != image_stamp) {
        kprintf("a fault before this reset, of another firmware: pc=0x%08lx addr=0x%08lx\n",
                (unsigned long)crash.pc, (unsigned long)crash.addr);
    } else {
        kprintf("the last fault before this reset:\n");
        report(&crash);
        crash_last.process = crash.process == CRASH_PANIC ? -1 : (int32_t)crash.process;
        crash_last.thread = crash.thread;
        crash_last.pc = crash.pc;
        crash_last.lr = crash.lr;
        crash_last.addr = crash.addr;
        crash_last.flags = crash.flags;
        crash_last.depth = crash.levels;
        crash_last_valid = true;
    }
    crash.magic = 0;
}

int32_t sys_crash_record(struct cmrx_crash_info *out)
{
    const struct cmrx_process *p = thread_active(cmrx_sched.current);
    if ((p->flags & CMRX_PROC_SYSTEM) == 0) {
        return CMRX_EPERM;
    }
    if (!access_out_ok(cmrx_sched.current, out, sizeof(*out))) {
        return CMRX_EFAULT;
    }
    if (!crash_last_valid) {
        return CMRX_ESRCH;
    }
    *out = crash_last;
    return CMRX_OK;
}

void cmrx_fault_current(const struct cmrx_fault *f)
{
    struct cmrx_thread *t = cmrx_sched.current;
    const struct cmrx_process *p = thread_active(t);
    bool in_call = t->frames != NULL && t->frames->kind == CMRX_FRAME_RPC;
    TRACE(CMRX_TR_FAULT, t, TRACE_PROC(p), 0, f->pc_valid ? f->pc : 0u);
    crash.magic = 0; /* rewritten below: no half-old record */
    crash.kind = f->kind;
    crash.cause = f->cause;
    crash.pc = f->pc;
    crash.lr = f->lr;
    crash.addr = f->addr;
    crash.thread = (int16_t)thread_id(t);
    crash.process = (uint8_t)process_index(p);
    crash.policy = (uint8_t)p->policy;
    crash.flags = (uint8_t)((f->pc_valid ? CMRX_CRASH_PC_VALID : 0u) |
                            (f->addr_valid ? CMRX_CRASH_ADDR_VALID : 0u) |
                            (in_call ? CMRX_CRASH_IN_CALL : 0u));
    unsigned n = 0;
    for (const struct cmrx_call_frame *c = t->frames; c != NULL && n < CMRX_RPC_MAX_DEPTH;
         c = c->prev) {
        if (c->kind == CMRX_FRAME_RPC) {
            crash.chain[n].depth = c->depth;
            crash.chain[n].caller = (uint8_t)process_index(
                (const struct cmrx_process *)(const void *)c->saved.mpu_image);
            crash.chain[n].callee = (uint8_t)process_index(c->callee);
            crash.chain[n].method = (uint32_t)c->method;
            n++;
        }
    }
    crash.levels = (uint8_t)n;
    crash_seal();
    report(&crash);
    if (in_call) {
        rpc_unwind(t, CMRX_ERPC_FAULT);
    } else {
        thread_finish(t, CMRX_EKILLED);
    }
    if (p->policy != CMRX_POLICY_KILL_THREAD) {
        process_kill(p, p->policy == CMRX_POLICY_RESTART, CMRX_CAUSE_FAULT);
    }
    sched_reschedule();
}

void cmrx_panic(const char *kind, const char *what, uint32_t pc, uint32_t addr)
{
    crash.magic = 0;
    crash.kind = kind;
    crash.cause = what;
    crash.pc = pc;
    crash.lr = 0;
    crash.addr = addr;
    crash.thread = -1;
    crash.process = CRASH_PANIC;
    crash.policy = 0;
    crash.flags = CMRX_CRASH_PC_VALID | CMRX_CRASH_ADDR_VALID;
    crash.levels = 0;
    crash_seal();
    report(&crash);
    console_flush();
#if CMRX_TRACE_EVENTS
    trace_dump();
#endif
    bsp_shutdown(CMRX_PANIC_EXIT);
}
