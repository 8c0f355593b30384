/* Decoding of ARMv7-M fault status into the kernel's fault report. */
#include "kernel.h"
#include "regs.h"

#define STACKING_ERRORS                                                                            \
    (CFSR_MSTKERR | CFSR_MUNSTKERR | CFSR_MLSPERR | CFSR_STKERR | CFSR_UNSTKERR | CFSR_LSPERR)

/* In order of diagnostic value: the first bit set names the cause. The
 * CFSR byte a bit sits in gives the fault class. */
static const struct {
    uint32_t bit;
    const char *text;
} causes[] = {
    {CFSR_MSTKERR, "stack overflow (MSTKERR)"},
    {CFSR_MUNSTKERR, "bad stack on return (MUNSTKERR)"},
    {CFSR_MLSPERR, "FP lazy save (MLSPERR)"},
    {CFSR_IACCVIOL, "execute not allowed (IACCVIOL)"},
    {CFSR_DACCVIOL, "data access violation (DACCVIOL)"},
    {CFSR_STKERR, "stacking (STKERR)"},
    {CFSR_UNSTKERR, "unstacking (UNSTKERR)"},
    {CFSR_LSPERR, "FP lazy save (LSPERR)"},
    {CFSR_IBUSERR, "instruction fetch (IBUSERR)"},
    {CFSR_PRECISERR, "data bus error (PRECISERR)"},
    {CFSR_IMPRECISERR, "imprecise bus error (IMPRECISERR)"},
    {CFSR_UNDEFINSTR, "undefined instruction (UNDEFINSTR)"},
    {CFSR_INVSTATE, "invalid state (INVSTATE)"},
    {CFSR_INVPC, "invalid exception return (INVPC)"},
    {CFSR_NOCP, "no coprocessor (NOCP)"},
    {CFSR_UNALIGNED, "unaligned access (UNALIGNED)"},
    {CFSR_DIVBYZERO, "divide by zero (DIVBYZERO)"},
};

static void decode(struct cmrx_fault *f, const uint32_t *frame, uint32_t kind)
{
    uint32_t cfsr = SCB_CFSR;
    uint32_t hfsr = SCB_HFSR;

    f->cause = NULL;
    for (unsigned i = 0; i < sizeof(causes) / sizeof(causes[0]); i++) {
        if (cfsr & causes[i].bit) {
            f->cause = causes[i].text;
            f->kind = causes[i].bit < (1u << 8)    ? "MemManage"
                      : causes[i].bit < (1u << 16) ? "BusFault"
                                                   : "UsageFault";
            break;
        }
    }
    if (f->cause == NULL) {
        f->kind = "HardFault";
        if (hfsr & HFSR_DEBUGEVT) {
            f->cause = "debug event, e.g. BKPT (DEBUGEVT)";
        } else if (hfsr & HFSR_VECTTBL) {
            f->cause = "vector table read (VECTTBL)";
        } else if (kind == 3u) {
            f->cause = "escalated, e.g. BKPT (FORCED)";
        } else {
            f->cause = "no status bits";
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
    cmrx_panic(f.kind, f.cause, f.pc, f.addr);
}
