/* Fault policy: a fault in a thread is reported and kills that thread only.
 *
 * The port decodes the CPU's fault registers into a struct cmrx_fault; this
 * file turns it into the one-line report and applies the policy. Faults of
 * the kernel itself are panics: there is nothing left to trust.
 */
#include "kernel.h"

void cmrx_fault_current(const struct cmrx_fault *f)
{
    struct cmrx_thread *t = cmrx_sched.current;
    char pc[12] = "?";
    char addr[12] = "?";
    if (f->pc_valid) {
        cmrx_format(pc, sizeof(pc), "0x%08lx", (unsigned long)f->pc);
    }
    if (f->addr_valid) {
        cmrx_format(addr, sizeof(addr), "0x%08lx", (unsigned long)f->addr);
    }
    kprintf("[cmrx] FAULT process=%s thread=%d pc=%s addr=%s cause=\"%s\" action=kill-thread\n",
            t->process->name, thread_id(t), pc, addr, f->cause);
    thread_finish(t, CMRX_EKILLED);
    sched_reschedule();
}

void cmrx_panic(const char *what, uint32_t pc, uint32_t addr)
{
    kprintf("[cmrx] KERNEL PANIC: %s pc=0x%08lx addr=0x%08lx\n", what, (unsigned long)pc,
            (unsigned long)addr);
    bsp_shutdown(CMRX_PANIC_EXIT);
}
