/* Decoding of ARMv7-M fault status into the kernel's fault report. */
#include "kernel.h"
#include "regs.h"

#define STACKING_ERRORS                                                                            \
    (CFSR_MSTKERR | CFSR_MUNSTKERR | CFSR_MLSPERR | CFSR_STKERR | CFSR_UNSTKERR | CFSR_LSPERR)

struct cause {
    uint32_t bit;
    const char *text;
};

/* In order of diagnostic value: the first bit set names the cause. */
static const struct cause causes[] = {
    {CFSR_MSTKERR, "MemManage: stack overflow on exception entry (MSTKERR)"},
    {CFSR_MUNSTKERR, "MemManage: bad stack on exception return (MUNSTKERR)"},
    {CFSR_MLSPERR, "MemManage: FP lazy state save (MLSPERR)"},
    {CFSR_IACCVIOL, "MemManage: execute from non-executable memory (IACCVIOL)"},
    {CFSR_DACCVIOL, "MemManage: data access violation (DACCVIOL)"},
    {CFSR_STKERR, "BusFault: stacking on exception entry (STKERR)"},
    {CFSR_UNSTKERR, "BusFault: unstacking on exception return (UNSTKERR)"},
    {CFSR_LSPERR, "BusFault: FP lazy state save (LSPERR)"},
    {CFSR_IBUSERR, "BusFault: instruction fetch (IBUSERR)"},
    {CFSR_PRECISERR, "BusFault: precise data bus error (PRECISERR)"},
    {CFSR_IMPRECISERR, "BusFault: imprecise data bus error (IMPRECISERR)"},
    {CFSR_UNDEFINSTR, "UsageFault: undefined instruction (UNDEFINSTR)"},
    {CFSR_INVSTATE, "UsageFault: invalid state, e.g. ARM-mode branch (INVSTATE)"},
    {CFSR_INVPC, "UsageFault: invalid exception return (INVPC)"},
    {CFSR_NOCP, "UsageFault: coprocessor/FPU not available (NOCP)"},
    {CFSR_UNALIGNED, "UsageFault: unaligned access (UNALIGNED)"},
    {CFSR_DIVBYZERO, "UsageFault: divide by zero (DIVBYZERO)"},
};

static void decode(struct cmrx_fault *f, const uint32_t *frame, uint32_t kind)
{
    uint32_t cfsr = SCB_CFSR;
    uint32_t hfsr = SCB_HFSR;

    f->cause = NULL;
    for (unsigned i = 0; i < sizeof(causes) / sizeof(causes[0]); i++) {
        if (cfsr & causes[i].bit) {
            f->cause = causes[i].text;
            break;
        }
    }
    if (f->cause == NULL) {
        if (hfsr & HFSR_DEBUGEVT) {
            f->cause = "HardFault: debug event, e.g. BKPT without a debugger (DEBUGEVT)";
        } else if (hfsr & HFSR_VECTTBL) {
            f->cause = "HardFault: vector table read (VECTTBL)";
        } else if (kind == 3u) {
            f->cause = "HardFault: escalated, e.g. BKPT without a debugger (FORCED)";
        } else {
            f->cause = "fault with no status bits";
        }
    }

    /* After a stacking error the frame is not there to read. */
    f->pc_valid = (cfsr & STACKING_ERRORS) == 0;
    f->pc = f->pc_valid ? frame[6] : 0;
    f->addr_valid = true;
    if ((cfsr & CFSR_MMARVALID) && (cfsr & (CFSR_DACCVIOL | CFSR_MSTKERR | CFSR_MUNSTKERR))) {
        f->addr = SCB_MMFAR;
    } else if ((cfsr & CFSR_BFARVALID) && (cfsr & CFSR_PRECISERR)) {
        f->addr = SCB_BFAR;
    } else if (f->pc_valid && (cfsr & (CFSR_IACCVIOL | CFSR_IBUSERR))) {
        f->addr = f->pc; /* the instruction that could not be fetched */
    } else {
        f->addr_valid = false;
        f->addr = 0;
    }

    /* The status registers are write-one-to-clear. */
    SCB_CFSR = cfsr;
    SCB_HFSR = hfsr;
}

/* A thread faulted. context.S stored its stack pointer and EXC_RETURN in
 * its TCB but not its registers: the fault either kills the thread or
 * unwinds it to an RPC caller, whose context comes from the call frame. */
void cmrx_port_fault(struct cmrx_thread *t, uint32_t kind)
{
    struct cmrx_fault f;
    decode(&f, (const uint32_t *)t->ctx.sp, kind);
    /* An SVC whose entry faulted stays pending; it belongs to this thread
     * and must not run in the context of whichever thread comes next. */
    SCB_SHCSR &= ~SHCSR_SVCALLPENDED;
    cmrx_fault_current(&f);
}

void cmrx_port_kernel_fault(const uint32_t *frame, uint32_t exc_return, uint32_t kind)
{
    (void)exc_return;
    struct cmrx_fault f;
    decode(&f, frame, kind);
    cmrx_panic(f.cause, f.pc, f.addr);
}
