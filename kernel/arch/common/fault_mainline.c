/* Decoding of ARMv7-M and ARMv8-M Mainline fault status into the kernel's
 * fault report. `kind` is the exception number the fault came in on. A
 * port whose CPU can raise SecureFault defines CMRX_PORT_SECUREFAULT and
 * the SFSR/SFAR addresses in its regs.h. */
#include "kernel.h"
#include "regs.h"

#define STACKING_ERRORS                                                                            \
    (CFSR_MSTKERR | CFSR_MUNSTKERR | CFSR_MLSPERR | CFSR_STKERR | CFSR_UNSTKERR | CFSR_LSPERR)

/* Status words decode() looks at, in order: CFSR (whose byte a bit sits
 * in gives the fault class), SFSR where there is SecureFault, then the
 * HardFault causes. */
enum { W_CFSR, W_SFSR, W_HARD = W_SFSR + CMRX_PORT_SECUREFAULT };

/* A HardFault with no other cause: HFSR's DEBUGEVT and VECTTBL, then
 * FORCED when it came in on the HardFault vector, then bit 0 (reserved in
 * HFSR), set always, for "nothing recorded". */
#define HARD_NONE (1u << 0)

/* SFSR causes exist on ports with SecureFault only. */
#if CMRX_PORT_SECUREFAULT
#define SECURE(cause) cause
#else
#define SECURE(cause)
#endif

/* The causes in order of diagnostic value: the first whose bit is set
 * names the fault, by its bit's name in the Architecture Reference Manual:
 * alone where the name says what happened or the cause is rare (FP lazy
 * state), after a few words for the common ones it does not (docs/concepts.md
 * lists them all).
 * One list makes both tables, so that they stay in step: the bit numbers
 * (32 * word + bit) and the texts packed into one string (a pointer per
 * cause would cost four bytes more each). */
#define CAUSES(X)                                                                                  \
    X(W_CFSR, CFSR_MSTKERR, "stack overflow (MSTKERR)")                                            \
    X(W_CFSR, CFSR_MUNSTKERR, "bad stack on return (MUNSTKERR)")                                   \
    X(W_CFSR, CFSR_MLSPERR, "MLSPERR")                                                             \
    X(W_CFSR, CFSR_IACCVIOL, "execute not allowed (IACCVIOL)")                                     \
    X(W_CFSR, CFSR_DACCVIOL, "data access violation (DACCVIOL)")                                   \
    X(W_CFSR, CFSR_STKERR, "STKERR")                                                               \
    X(W_CFSR, CFSR_UNSTKERR, "UNSTKERR")                                                           \
    X(W_CFSR, CFSR_LSPERR, "LSPERR")                                                               \
    X(W_CFSR, CFSR_IBUSERR, "IBUSERR")                                                             \
    X(W_CFSR, CFSR_PRECISERR, "data bus error (PRECISERR)")                                        \
    X(W_CFSR, CFSR_IMPRECISERR, "IMPRECISERR")                                                     \
    X(W_CFSR, CFSR_UNDEFINSTR, "UNDEFINSTR")                                                       \
    X(W_CFSR, CFSR_INVSTATE, "INVSTATE")                                                           \
    X(W_CFSR, CFSR_INVPC, "invalid exception return (INVPC)")                                      \
    X(W_CFSR, CFSR_NOCP, "NOCP")                                                                   \
    X(W_CFSR, CFSR_UNALIGNED, "UNALIGNED")                                                         \
    X(W_CFSR, CFSR_DIVBYZERO, "DIVBYZERO")                                                         \
    X(W_CFSR, CFSR_STKOF, "STKOF") /* ARMv8-M */                                                   \
    SECURE(X(W_SFSR, SFSR_INVEP, "invalid entry point (INVEP)"))                                   \
    SECURE(X(W_SFSR, SFSR_INVIS, "invalid integrity signature (INVIS)"))                           \
    SECURE(X(W_SFSR, SFSR_INVER, "invalid exception return (INVER)"))                              \
    SECURE(X(W_SFSR, SFSR_AUVIOL, "attribution unit violation (AUVIOL)"))                          \
    SECURE(X(W_SFSR, SFSR_INVTRAN, "invalid transition to Non-secure (INVTRAN)"))                  \
    SECURE(X(W_SFSR, SFSR_LSPERR, "LSPERR"))                                                       \
    SECURE(X(W_SFSR, SFSR_LSERR, "LSERR"))                                                         \
    X(W_HARD, HFSR_DEBUGEVT, "debug event, e.g. BKPT (DEBUGEVT)")                                  \
    X(W_HARD, HFSR_VECTTBL, "vector table read (VECTTBL)")                                         \
    X(W_HARD, HFSR_FORCED, "escalated, e.g. BKPT (FORCED)")                                        \
    X(W_HARD, HARD_NONE, "no status bits")

#define CAUSE_BIT(word, mask, text)  (uint8_t)(32 * (word) + __builtin_ctz(mask)),
#define CAUSE_TEXT(word, mask, text) text "\0"
#define CAUSE_SIZE(word, mask, text) (uint8_t)sizeof(text),

static const uint8_t cause_bits[] = {CAUSES(CAUSE_BIT)};
static const char cause_texts[] = CAUSES(CAUSE_TEXT);
/* Each text's size, so that finding one skips whole texts, not bytes: the
 * decoder's time does not depend on where the cause is in the list. */
static const uint8_t cause_sizes[] = {CAUSES(CAUSE_SIZE)};

static void decode(struct cmrx_fault *f, const uint32_t *frame, uint32_t kind)
{
    uint32_t cfsr = SCB_CFSR;
    uint32_t hfsr = SCB_HFSR;
    uint32_t status[W_HARD + 1];
    status[W_CFSR] = cfsr;
#if CMRX_PORT_SECUREFAULT
    uint32_t sfsr = SCB_SFSR;
    status[W_SFSR] = sfsr;
#endif
    status[W_HARD] = (hfsr & (HFSR_DEBUGEVT | HFSR_VECTTBL)) |
                     (kind == EXC_HARDFAULT ? HFSR_FORCED : 0u) | HARD_NONE;

    /* HARD_NONE ends the search at the last cause if not before. */
    const char *text = cause_texts;
    unsigned b;
    for (unsigned i = 0;; i++) {
        b = cause_bits[i];
        if (status[b / 32u] & (1u << (b % 32u))) {
            break;
        }
        text += cause_sizes[i];
    }
    f->cause = text;
    f->kind = b < 8    ? "MemManage"
              : b < 16 ? "BusFault"
              : b < 32 ? "UsageFault"
#if CMRX_PORT_SECUREFAULT
              : b < 64 ? "SecureFault"
#endif
                       : "HardFault";
#if CMRX_PORT_SECUREFAULT
    bool secure = b / 32u == W_SFSR;
#endif

    /* After a stacking error the frame is not there to read. */
    f->pc_valid = (cfsr & STACKING_ERRORS) == 0;
    f->pc = f->pc_valid ? frame[6] : 0;
    f->lr = f->pc_valid ? frame[5] : 0;
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
