/* ARMv8-M port: the small context operations the kernel's hot paths use,
 * inline. Included by kernel.h once the thread and process types exist. */
#ifndef CMRX_PORT_IMPL_H
#define CMRX_PORT_IMPL_H

#include "../common/frame_impl.h"

#include "../common/mpu_encode.h"

static inline uint32_t rlar_normal(uintptr_t end)
{
    return pmsav8_rlar((uint32_t)end, PMSAV8_ATTR_NORMAL);
}

/* The stack and RPC regions of a new thread: its stack slot, no RPC. */
static inline void port_thread_regions(struct cmrx_thread *t, const struct cmrx_process *p,
                                       const uint8_t *stack, uint32_t size)
{
    /* stack_mpu_attr holds the RBAR attribute bits (SH, AP, XN). */
    t->ctx.mpu_stack[0] = pmsav8_rbar((uint32_t)(uintptr_t)stack, p->stack_mpu_attr);
    t->ctx.mpu_stack[1] = rlar_normal((uintptr_t)stack + size);
    t->ctx.mpu_rpc = cmrx_port_rpc_off;
}

static inline uintptr_t port_stack_boundary(const struct cmrx_thread *t, uintptr_t at)
{
    /* The limit is exact to 32 bytes. An `at` below the slot gives a limit
     * below it, which the caller refuses. */
    (void)t;
    return at & ~(uintptr_t)31u;
}

static inline void port_stack_limit(struct cmrx_thread *t, uintptr_t base, uintptr_t limit)
{
    t->ctx.mpu_stack[0] = pmsav8_rbar((uint32_t)base, t->process->stack_mpu_attr);
    t->ctx.mpu_stack[1] = rlar_normal(limit);
}

static inline void port_rpc_map(struct cmrx_thread *t, const struct cmrx_process *callee,
                                const struct cmrx_process *caller)
{
    t->ctx.mpu_image = callee->mpu;
    if (caller == callee) {
        /* Its .shared is mapped already; a second region over it would
         * make every access to it fault. */
        t->ctx.mpu_rpc = cmrx_port_rpc_off;
        return;
    }
    /* The caller's .shared is the second region of its image; for the call
     * it is region 3, kept in the call frame (t->frames, just pushed). */
    uint32_t *r = t->frames->port.rpc_mpu;
    r[0] = caller->mpu[2];
    r[1] = caller->mpu[3];
    t->ctx.mpu_rpc = r; /* the return restores the caller's pointer */
}

#endif
