/* ARMv6-M faults: every fault is a HardFault and no register says why, so
 * the port works it out from what it can see: whether the CPU managed to
 * stack the thread's registers, where the thread was, and what the
 * faulting instruction would have accessed (thumb_decode.c). The causes
 * carry the names and texts ARMv7-M reports for the same fault, so fault
 * reports read alike on every port (the class is always HardFault). */
#include "../common/mpu_encode.h"
#include "../common/scs.h"
#include "kernel.h"
#include "thumb_decode.h"

/* Set when the faulting thread may have left an SVC pending (context.S). */
volatile uint32_t cmrx_svc_stale;

#define FRAME_WORDS    8u
#define XPSR_REALIGNED (1u << 9)

/* Does MMIO range i of the process's MPU image (regions 4, 5) hold
 * [addr, addr + len)? */
static bool in_mmio(const struct cmrx_process *p, uint32_t addr, uint32_t len)
{
    for (unsigned i = 4; i < 8; i += 2) {
        uint32_t rasr = p->mpu[i + 1];
        if ((rasr & 1u) == 0) {
            continue;
        }
        uint32_t base = mpu_rbar_base(p->mpu[i]);
        uint32_t size = 1u << pmsav7_rasr_size_log2(rasr);
        if (addr >= base && addr - base <= size && len <= size - (addr - base)) {
            return true;
        }
    }
    return false;
}

static bool allowed(const struct cmrx_thread *t, uint32_t addr, uint32_t len, bool write)
{
    return access_ok(t, (const void *)(uintptr_t)addr, len, write) ||
           in_mmio(thread_active(t), addr, len);
}

/* Name the data access the instruction at the frame's PC was making. */
static void decode_access(struct cmrx_fault *f, const struct cmrx_thread *t, const uint32_t *frame)
{
    struct thumb_regs regs;
    for (unsigned i = 0; i < 4; i++) {
        regs.r[i] = frame[i];
        regs.r[4 + i] = t->ctx.r4_r11[i]; /* stored by context.S */
    }
    regs.sp = (uint32_t)(uintptr_t)(frame + FRAME_WORDS) + ((frame[7] & XPSR_REALIGNED) ? 4u : 0u);
    regs.pc = f->pc;
    /* The second halfword only of a 32-bit instruction, and only from user
     * flash: the first may be its last halfword, and what follows may be
     * no memory at all. The CPU could not fetch it either. */
    const uint16_t *insn = (const uint16_t *)(uintptr_t)f->pc;
    uint16_t hw2 = 0;
    if (thumb_is_32bit(insn[0])) {
        if (!access_code_ok((const void *)(uintptr_t)((f->pc + 2u) | 1u))) {
            f->cause = "execute not allowed (IACCVIOL)";
            f->addr_valid = true;
            f->addr = f->pc + 2u;
            return;
        }
        hw2 = insn[1];
    }
    struct thumb_access a;
    enum thumb_kind kind = thumb_decode(insn[0], hw2, &regs, &a);
    switch (kind) {
    case THUMB_BKPT:
        f->cause = "breakpoint without a debugger (BKPT)";
        return;
    case THUMB_UNDEFINED:
        f->cause = "UNDEFINSTR";
        return;
    case THUMB_LOAD:
    case THUMB_STORE: {
        bool write = kind == THUMB_STORE;
        f->addr_valid = true;
        f->addr = a.addr;
        if (a.addr % a.size != 0) {
            f->cause = "UNALIGNED";
            return;
        }
        for (uint32_t off = 0; off < a.len; off += a.size) {
            if (!allowed(t, a.addr + off, a.size, write)) {
                f->addr = a.addr + off;
                f->cause = "data access violation (DACCVIOL)";
                return;
            }
        }
        f->cause = "data bus error (PRECISERR)";
        return;
    }
    case THUMB_OTHER:
    default:
        f->cause = "no cause given (ARMv6-M)";
        return;
    }
}

static void decode(struct cmrx_fault *f, const struct cmrx_thread *t)
{
    const uint32_t *frame = (const uint32_t *)(uintptr_t)t->ctx.sp;
    f->kind = "HardFault"; /* the only fault ARMv6-M has */
    f->pc = 0;
    f->lr = 0;
    f->pc_valid = false;
    f->addr = 0;
    f->addr_valid = false;
    /* The CPU stacks the frame under the thread's own MPU map: if that
     * memory is not the thread's, stacking failed and the frame is not
     * there to read. */
    if (!access_ok(t, frame, FRAME_WORDS * 4u, true)) {
        f->cause = "stack overflow (MSTKERR)";
        f->addr_valid = true;
        f->addr = (uint32_t)(uintptr_t)frame;
        return;
    }
    f->pc = frame[6];
    f->lr = frame[5];
    f->pc_valid = true;
    if (!access_code_ok((const void *)(uintptr_t)(f->pc | 1u))) {
        f->cause = "execute not allowed (IACCVIOL)";
        f->addr_valid = true;
        f->addr = f->pc;
        return;
    }
    decode_access(f, t, frame);
}

/* A thread faulted. context.S stored its stack pointer and r4-r7 in its
 * TCB: the fault either kills the thread or unwinds it to an RPC caller,
 * whose context comes from the call frame. */
void cmrx_port_fault(struct cmrx_thread *t);

void cmrx_port_fault(struct cmrx_thread *t)
{
    struct cmrx_fault f;
    decode(&f, t);
    if (!f.pc_valid) {
        /* Stacking failed: if it was stacking the thread's SVC, that SVC
         * is still pending (unless an interrupt above it hides it) and
         * would run for the next thread. Let it be dropped (context.S). */
        uint32_t pending = ICSR_VECTPENDING(SCB_ICSR);
        if (pending == EXC_SVCALL || pending >= 16u) {
            cmrx_svc_stale = 1;
            port_request_switch();
        }
    }
    cmrx_fault_current(&f);
}

void cmrx_port_kernel_fault(const uint32_t *frame, uint32_t exc_return, uint32_t kind);

void cmrx_port_kernel_fault(const uint32_t *frame, uint32_t exc_return, uint32_t kind)
{
    (void)exc_return;
    (void)kind;
    /* The kernel's own frame is on its main stack, which it trusts. */
    cmrx_panic("HardFault", "in the kernel", frame[6], 0);
}
