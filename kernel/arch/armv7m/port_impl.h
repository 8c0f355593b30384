/* ARMv7-M port: the small context operations the kernel's hot paths use,
 * inline. Included by kernel.h once the thread and process types exist. */
#ifndef CMRX_PORT_IMPL_H
#define CMRX_PORT_IMPL_H

#define CMRX_EXC_RETURN_THREAD_PSP 0xFFFFFFFDu
#define CMRX_XPSR_THUMB            0x01000000u
#define CMRX_MPU_RBAR_VALID        (1u << 4)

static inline void frame_call(uint32_t *frame, uintptr_t fn, const uintptr_t args[4], uintptr_t lr)
{
    frame[0] = args[0];
    frame[1] = args[1];
    frame[2] = args[2];
    frame[3] = args[3];
    frame[4] = 0;
    frame[5] = (uint32_t)lr;
    frame[6] = (uint32_t)fn & ~1u;
    frame[7] = CMRX_XPSR_THUMB;
}

static inline void port_ctx_call(struct cmrx_thread *t, uintptr_t sp, uintptr_t fn,
                                 const uintptr_t args[4], uintptr_t lr)
{
    uint32_t *frame = (uint32_t *)sp - 8;
    frame_call(frame, fn, args, lr);
    t->ctx.sp = (uint32_t)frame;
    /* Eight explicit stores: a loop would become a call to memset. */
    uint32_t *r = t->ctx.r4_r11;
    r[0] = 0;
    r[1] = 0;
    r[2] = 0;
    r[3] = 0;
    r[4] = 0;
    r[5] = 0;
    r[6] = 0;
    r[7] = 0;
    t->ctx.exc_return = CMRX_EXC_RETURN_THREAD_PSP;
}

static inline uintptr_t port_syscall_arg(const struct cmrx_thread *t, unsigned i)
{
    return ((const uint32_t *)t->ctx.sp)[i];
}

static inline uintptr_t port_thread_sp(const struct cmrx_thread *t)
{
    return t->ctx.sp;
}

static inline uintptr_t port_stack_boundary(const struct cmrx_thread *t, uintptr_t at)
{
    /* A stack slot is a power of two aligned to its size, cut in eight
     * subregions; the SDK makes every stack at least 256 bytes, the size
     * from which subregions exist. An `at` below the slot gives a limit
     * below it, which the caller refuses. */
    return at & ~(uintptr_t)(t->process->stack_size / 8u - 1u);
}

static inline void port_stack_limit(struct cmrx_thread *t, uintptr_t limit)
{
    /* Disable the subregions from the limit up: the callee cannot reach
     * its caller's frames. The RASR SIZE field is log2(size) - 1. */
    uint32_t attr = t->process->stack_mpu_attr;
    unsigned sub_log2 = ((attr >> 1) & 0x1Fu) + 1u - 3u;
    uint32_t enabled = (uint32_t)(limit - (uintptr_t)port_thread_stack(t)) >> sub_log2;
    uint32_t srd = (0xFFu << enabled) & 0xFFu;
    t->ctx.mpu_stack[1] = (attr & ~(0xFFu << 8)) | (srd << 8);
}

static inline void port_rpc_map(struct cmrx_thread *t, const struct cmrx_process *callee,
                                const struct cmrx_process *caller)
{
    t->ctx.mpu_image = callee->mpu;
    /* The caller's .shared is region 3 of its image; for the call it is
     * region 7, kept in the call frame (t->frames, just pushed). */
    uint32_t *r7 = t->frames->port.rpc_mpu;
    r7[0] = (caller->mpu[2] & ~0xFu) | CMRX_MPU_RBAR_VALID | CMRX_MPU_REGION_RPC;
    r7[1] = caller->mpu[3];
    t->ctx.mpu_rpc = r7; /* the return restores the caller's pointer */
}

static inline void port_set_return(struct cmrx_thread *t, int32_t value)
{
    /* The frame was stacked by the hardware under the thread's own MPU
     * map, so it lies in memory the thread owns. */
    ((uint32_t *)t->ctx.sp)[0] = (uint32_t)value;
}

static inline bool port_syscall_args6(const struct cmrx_thread *t, uintptr_t out[6])
{
    const uint32_t *frame = (const uint32_t *)t->ctx.sp;
    out[0] = frame[0];
    out[1] = frame[1];
    out[2] = frame[2];
    out[3] = frame[3];
    /* The caller's stack arguments sit above its exception frame: 8 words,
     * 26 with FP state, one more if the CPU realigned the stack. The frame
     * was stacked by the CPU under the thread's own MPU map, so it lies in
     * the part of the stack the thread may use; the arguments must too. */
    const uint32_t *above =
        frame + ((t->ctx.exc_return & 0x10u) ? 8 : 26) + ((frame[7] & (1u << 9)) ? 1 : 0);
    uintptr_t top = t->frames != NULL ? t->frames->limit
                                      : (uintptr_t)port_thread_stack(t) + t->process->stack_size;
    if ((uintptr_t)(above + 2) > top) {
        return false;
    }
    out[4] = above[0];
    out[5] = above[1];
    return true;
}

#endif
