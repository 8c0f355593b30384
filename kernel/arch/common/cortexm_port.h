/* The part of port.h every Cortex-M port shares: the saved context of a
 * thread and the constants kernel/src/port_api.h asks for. Included by the
 * port's port.h, which defines the MPU region numbers. The functions are
 * declared in port_api.h; the small ones are inline, in frame_impl.h and
 * the MPU's *_impl.h. */
#ifndef CMRX_ARCH_CORTEXM_PORT_H
#define CMRX_ARCH_CORTEXM_PORT_H

/* Size of struct cmrx_port_context: the offset of cmrx_thread.sig_pending,
 * for the assembly. */
#if defined(__ARM_FP)
#define CMRX_PORT_CTX_SIZE 120
#else
#define CMRX_PORT_CTX_SIZE 56
#endif

#ifndef __ASSEMBLER__
#include <stdint.h>

#define CMRX_PORT_THUMB     1
#define CMRX_PORT_IRQ_COUNT CMRX_BSP_IRQ_COUNT
#define CMRX_PORT_HOT       static inline /* frame_impl.h, *_impl.h */

/* Saved context of a thread. The assembly relies on the order of the
 * first fields: PendSV saves {psp, r4-r11, exc_return} in one go. */
struct cmrx_port_context {
    uint32_t sp;
    uint32_t r4_r11[8];
    uint32_t exc_return;
    const uint32_t *mpu_image; /* active process's cmrx_process.mpu */
    uint32_t mpu_stack[2];     /* the thread's stack region (two words) */
    const uint32_t *mpu_rpc;   /* the RPC region: in the call frame, or cmrx_port_rpc_off */
#if defined(__ARM_FP)
    uint32_t s16_s31[16]; /* callee-saved FP registers, when the thread used the FPU */
#endif
};

/* Per RPC call: the RPC region (the caller's .shared, two words); the
 * thread's context points at it for the length of the call. */
struct cmrx_port_frame {
    uint32_t rpc_mpu[2];
};

/** The RPC region switched off: what mpu_rpc points to outside RPC calls. */
extern const uint32_t cmrx_port_rpc_off[2];

#endif /* __ASSEMBLER__ */
#endif
