/* RPC stack narrowing and memory map on the PMSAv6/PMSAv7 MPU (ARMv6-M,
 * ARMv7-M): regions are powers of two with eight subregions. Included by
 * the port_impl.h of those ports, after frame_impl.h. The port defines
 * CMRX_MPU_REGION_STACK and CMRX_MPU_REGION_RPC. */
#ifndef CMRX_ARCH_PMSAV7_IMPL_H
#define CMRX_ARCH_PMSAV7_IMPL_H

#define CMRX_MPU_RBAR_VALID (1u << 4)

/* The stack and RPC regions of a new thread: its stack slot, no RPC. */
static inline void port_thread_regions(struct cmrx_thread *t, const struct cmrx_process *p,
                                       const uint8_t *stack, uint32_t size)
{
    (void)size; /* the slot size is in the attributes */
    t->ctx.mpu_stack[0] = (uint32_t)stack | CMRX_MPU_RBAR_VALID | CMRX_MPU_REGION_STACK;
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
     * below. The RASR SIZE field is log2(size) - 1. */
    uint32_t attr = t->process->stack_mpu_attr;
    unsigned sub_log2 = ((attr >> 1) & 0x1Fu) + 1u - 3u;
    uintptr_t slot = (uintptr_t)port_thread_stack(t);
    uint32_t hi = (uint32_t)(limit - slot) >> sub_log2;
    uint32_t lo = (uint32_t)(base - slot) >> sub_log2;
    uint32_t srd = ((0xFFu << hi) | ~(0xFFu << lo)) & 0xFFu;
    t->ctx.mpu_stack[1] = (attr & ~(0xFFu << 8)) | (srd << 8);
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
    r[0] = (caller->mpu[2] & ~0xFu) | CMRX_MPU_RBAR_VALID | CMRX_MPU_REGION_RPC;
    r[1] = caller->mpu[3];
    t->ctx.mpu_rpc = r; /* the return restores the caller's pointer */
}

#endif
