/* The port interface every Cortex-M port gives the portable kernel: the
 * saved context of a thread and the functions the kernel calls. Included
 * by the port's port.h, which defines the MPU region numbers. */
#ifndef CMRX_ARCH_PORT_API_H
#define CMRX_ARCH_PORT_API_H

/* Size of struct cmrx_port_context: the offset of cmrx_thread.sig_pending,
 * for the assembly. */
#if defined(__ARM_FP)
#define CMRX_PORT_CTX_SIZE 120
#else
#define CMRX_PORT_CTX_SIZE 56
#endif

#ifndef __ASSEMBLER__
#include <cmrx/thread.h>
#include <stdbool.h>
#include <stdint.h>

struct cmrx_thread;
struct cmrx_process;

#define CMRX_PORT_THUMB     1
#define CMRX_PORT_IRQ_COUNT CMRX_BSP_IRQ_COUNT

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

/** Configure exception priorities, fault enables, static MPU regions and the tick. */
void port_init(void);

/** Prepare @p t to start in @p entry(@p arg) on the given stack, in process @p p. */
void port_thread_init(struct cmrx_thread *t, const struct cmrx_process *p,
                      cmrx_thread_entry_t entry, void *arg, uint8_t *stack, uint32_t size);

/** Ask for a context switch to cmrx_sched.next once the kernel is left. */
static inline void port_request_switch(void)
{
    *(volatile uint32_t *)0xE000ED04u = 1u << 28; /* ICSR.PENDSVSET */
}

/** Microseconds since the current tick began (>= one tick if a tick is pending). */
uint32_t port_tick_phase_us(void);

/** Enter the first thread; never returns. */
__attribute__((noreturn)) void port_start_first(struct cmrx_thread *t);

/* The functions below work on a thread whose context is saved in its TCB
 * (any thread but the one running, or the running one inside a context
 * system call or fault). The small ones are inline, in port_impl.h:
 *   port_set_return(t, value)     value its pending system call returns
 *   port_syscall_arg(t, i)        argument i (0..3) of its system call
 *   port_thread_sp(t)             its stack pointer (exception frame)
 *   port_ctx_call(t, sp, fn, args, lr)
 *                                 run fn(args[0..3]) on a fresh frame just
 *                                 below sp, returning to lr, r4-r11 zeroed,
 *                                 no FP state
 *   port_stack_boundary(t, at)    highest address <= at where the MPU can
 *                                 bound the thread's stack region
 *   port_stack_limit(t, base, limit)
 *                                 let it use only [base, limit) of its stack
 *                                 (both boundaries)
 *   port_syscall_args6(t, out)    the six arguments of an RPC call (two on
 *                                 the caller's stack); false if those are
 *                                 not on memory the thread may use
 *   port_rpc_map(t, callee, caller)
 *                                 RPC memory map: the callee's regions plus
 *                                 the caller's .shared
 */

/** Base of the thread's stack slot (kept in its stack region's RBAR, which
 *  holds the base in bits [31:5] on every Cortex-M MPU). */
static inline uint8_t *port_thread_stack(const struct cmrx_thread *t)
{
    /* ctx is the first member of the TCB. */
    const struct cmrx_port_context *c = (const struct cmrx_port_context *)(const void *)t;
    return (uint8_t *)(uintptr_t)(c->mpu_stack[0] & ~0x1Fu);
}

/** Unmask / mask interrupt line @p irq. */
void port_irq_enable(unsigned irq);
void port_irq_disable(unsigned irq);

#endif /* __ASSEMBLER__ */
#endif
