/* RPC stack narrowing and memory map on the PMSAv6/PMSAv7 MPU (ARMv6-M,
 * ARMv7-M): regions are powers of two with eight subregions. Included by
 * the port_impl.h of those ports, after frame_impl.h. */
#ifndef CMRX_ARCH_PMSAV7_IMPL_H
#define CMRX_ARCH_PMSAV7_IMPL_H

#include "mpu_encode.h"

/* The stack and RPC regions of a new thread: its stack slot, no RPC. */
static inline void port_thread_regions(struct cmrx_thread *t, const struct cmrx_process *p,
                                       const uint8_t *stack, uint32_t size)
{
    (void)size; /* the slot size is in the attributes */
    t->ctx.mpu_stack[0] = pmsav7_rbar((uint32_t)stack, PMSAV7_REGION_STACK);
    t->ctx.mpu_stack[1] = p->stack_mpu_attr;
    t->ctx.mpu_rpc = cmrx_port_rpc_off;
}

static inline uintptr_t port_stack_boundary(const struct cmrx_thread *t, uintptr_t at)
{
    /* A stack slot is a power of two aligned to its size, cut in eight
     * subregions; the SDK makes every stack at least 256 bytes, the size
     * from which subregions exist. An `at` below the slot gives a limit
     * below it, which the caller refuses. */
    return at & ~(uintptr_t)(t->process->stack_size / 8u - 1u);
}

static inline void port_stack_limit(struct cmrx_thread *t, uintptr_t base, uintptr_t limit)
{
    /* Only the subregions of [base, limit) stay enabled: a callee reaches
     * neither its caller's frames above nor, beyond its budget, the stack
     * below. */
    uint32_t attr = t->process->stack_mpu_attr;
    uint32_t sub_log2 = pmsav7_rasr_size_log2(attr) - 3u;
    uintptr_t slot = (uintptr_t)port_thread_stack(t);
    uint32_t hi = (uint32_t)(limit - slot) >> sub_log2;
    uint32_t lo = (uint32_t)(base - slot) >> sub_log2;
    t->ctx.mpu_stack[1] = pmsav7_rasr_with_srd(attr, pmsav7_srd_keep(lo, hi));
}

static inline void port_rpc_map(struct cmrx_thread *t, const struct cmrx_process *callee,
                                const struct cmrx_process *caller)
{
    t->ctx.mpu_image = callee->mpu;
    /* The caller's .shared is region 3 of its image; for the call it is the
     * RPC region, kept in the call frame (t->frames, just pushed).
     * Overlapping regions are allowed here (the higher number wins), so a
     * call into the caller's own process needs no care. */
    uint32_t *r = t->frames->port.rpc_mpu;
    r[0] = pmsav7_rbar(mpu_rbar_base(caller->mpu[2]), PMSAV7_REGION_RPC);
    r[1] = caller->mpu[3];
    t->ctx.mpu_rpc = r; /* the return restores the caller's pointer */
}

#endif
