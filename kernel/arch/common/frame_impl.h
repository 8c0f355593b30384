/* Context operations on a Cortex-M exception frame, shared by the ports:
 * included by their port_impl.h once the thread and process types exist.
 * The thread's context (struct cmrx_port_context) starts with sp,
 * r4_r11[8] and exc_return in every port. */
#ifndef CMRX_ARCH_FRAME_IMPL_H
#define CMRX_ARCH_FRAME_IMPL_H

#include "mpu_encode.h"

#include <stddef.h>
#include <string.h>

#define CMRX_EXC_RETURN_THREAD_PSP 0xFFFFFFFDu /* thread mode, PSP, basic frame */
#define CMRX_XPSR_THUMB            0x01000000u

static inline void port_request_switch(void)
{
    *(volatile uint32_t *)0xE000ED04u = 1u << 28; /* ICSR.PENDSVSET */
}

static inline bool port_switch_pending(void)
{
    return (*(volatile uint32_t *)0xE000ED04u & (1u << 28)) !=
           0; /* ICSR.PENDSVSET reads as pending */
}

static inline uint8_t *port_thread_stack(const struct cmrx_thread *t)
{
    /* The base is kept in the stack region's RBAR. */
    return (uint8_t *)(uintptr_t)mpu_rbar_base(t->ctx.mpu_stack[0]);
}

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

static inline void port_ctx_copy(struct cmrx_port_context *dst, const struct cmrx_port_context *src)
{
#if defined(__ARM_FP)
    /* The FP registers only when the frame holds FP state (EXC_RETURN
     * bit 4 clear): a thread that never used the FPU does not pay 64 bytes
     * each way. Copied as whole-word blocks, which the compiler does with
     * a few multiple loads and stores; memcpy() of a part of the struct
     * was a call copying a word per loop, some 60 instructions a copy,
     * two copies per RPC call. */
    typedef struct {
        uint32_t w[offsetof(struct cmrx_port_context, s16_s31) / 4u];
    } __attribute__((may_alias)) core_words;
    typedef struct {
        uint32_t w[16];
    } __attribute__((may_alias)) fp_words;
    *(core_words *)(void *)dst = *(const core_words *)(const void *)src;
    if ((src->exc_return & 0x10u) == 0) {
        *(fp_words *)(void *)dst->s16_s31 = *(const fp_words *)(const void *)src->s16_s31;
    }
#else
    *dst = *src;
#endif
}

static inline uintptr_t port_syscall_arg(const struct cmrx_thread *t, unsigned i)
{
    /* The exception frame the CPU stacked under the thread's own memory
     * map: r0-r3, r12, lr (the RPC stub's fifth and sixth). Nothing is
     * read from the thread's stack beyond it. */
    return ((const uint32_t *)t->ctx.sp)[i];
}

static inline uintptr_t port_thread_sp(const struct cmrx_thread *t)
{
    return t->ctx.sp;
}

static inline void port_set_return(struct cmrx_thread *t, int32_t value)
{
    /* The frame was stacked by the hardware under the thread's own MPU
     * map, so it lies in memory the thread owns. */
    ((uint32_t *)t->ctx.sp)[0] = (uint32_t)value;
}

#endif
