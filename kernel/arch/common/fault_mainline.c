/* Decoding of ARMv7-M and ARMv8-M Mainline fault status into the kernel's
 * fault report. `kind` is the exception number the fault came in on. A
 * port whose CPU can raise SecureFault defines CMRX_PORT_SECUREFAULT and
 * the SFSR/SFAR addresses in its regs.h. */
#include "kernel.h"
#include "regs.h"

#define STACKING_ERRORS                                                                            \
    (CFSR_MSTKERR | CFSR_MUNSTKERR | CFSR_MLSPERR | CFSR_STKERR | CFSR_UNSTKERR | CFSR_LSPERR)

struct cause {
    uint32_t bit;
    const char *text;
};

/* In order of diagnostic value: the first bit set names the cause. The
 * CFSR byte a bit sits in gives the fault class. */
static const struct cause causes[] = {
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
    {CFSR_STKOF, "stack limit crossed (STKOF)"}, /* ARMv8-M */
};

#if CMRX_PORT_SECUREFAULT
static const struct cause secure_causes[] = {
    {SFSR_INVEP, "invalid entry point (INVEP)"},
    {SFSR_INVIS, "invalid integrity signature (INVIS)"},
    {SFSR_INVER, "invalid exception return (INVER)"},
    {SFSR_AUVIOL, "attribution unit violation (AUVIOL)"},
    {SFSR_INVTRAN, "invalid transition to Non-secure (INVTRAN)"},
    {SFSR_LSPERR, "FP lazy save (LSPERR)"},
    {SFSR_LSERR, "lazy state error (LSERR)"},
};
#endif

static const struct cause *first_cause(const struct cause *c, size_t n, uint32_t status)
{
    for (size_t i = 0; i < n; i++) {
        if (status & c[i].bit) {
            return &c[i];
        }
    }
    return NULL;
}

static void decode(struct cmrx_fault *f, const uint32_t *frame, uint32_t kind)
{
    uint32_t cfsr = SCB_CFSR;
    uint32_t hfsr = SCB_HFSR;

    const struct cause *c = first_cause(causes, sizeof(causes) / sizeof(causes[0]), cfsr);
    if (c != NULL) {
        f->cause = c->text;
        f->kind = c->bit < (1u << 8)    ? "MemManage"
                  : c->bit < (1u << 16) ? "BusFault"
                                        : "UsageFault";
    }
#if CMRX_PORT_SECUREFAULT
    uint32_t sfsr = SCB_SFSR;
    bool secure = false;
    if (c == NULL) {
        c = first_cause(secure_causes, sizeof(secure_causes) / sizeof(secure_causes[0]), sfsr);
        if (c != NULL) {
            f->cause = c->text;
            f->kind = "SecureFault";
            secure = true;
        }
    }
#endif
    if (c == NULL) {
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
#if CMRX_PORT_SECUREFAULT
    } else if (secure && (sfsr & SFSR_SFARVALID)) {
        f->addr = SCB_SFAR;
#endif
    } else if (f->pc_valid && (cfsr & (CFSR_IACCVIOL | CFSR_IBUSERR))) {
        f->addr = f->pc; /* the instruction that could not be fetched */
    } else {
        f->addr_valid = false;
        f->addr = 0;
    }

    /* The status registers are write-one-to-clear. */
    SCB_CFSR = cfsr;
    SCB_HFSR = hfsr;
#if CMRX_PORT_SECUREFAULT
    SCB_SFSR = sfsr;
#endif
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
