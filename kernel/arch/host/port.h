/* Host port: the portable kernel built for Linux, for unit tests.
 *
 * Nothing runs concurrently here: a "context switch" is the test calling
 * host_port_switch(), which does what PendSV does on a Cortex-M, and a
 * thread's context is a record the tests can read and set.
 */
#ifndef CMRX_PORT_H
#define CMRX_PORT_H

#include <cmrx/thread.h>
#include <stdbool.h>
#include <stdint.h>

struct cmrx_thread;
struct cmrx_process;

#define CMRX_PORT_THUMB             0
#define CMRX_PORT_PROCESS_MPU_WORDS 8
#define CMRX_PORT_IRQ_COUNT         32

/* Per RPC call: whose .shared memory the callee sees. */
struct cmrx_port_frame {
    const struct cmrx_process *caller;
};

struct cmrx_port_context {
    const uint32_t *mpu_image;             /* active process's cmrx_process.mpu */
    uintptr_t sp;                          /* simulated stack pointer */
    int32_t retval;                        /* what its pending system call returns */
    uintptr_t args[6];                     /* arguments of its pending system call */
    uintptr_t pc;                          /* where it resumes */
    uintptr_t lr;                          /* where that code returns to */
    uintptr_t call_args[4];                /* r0-r3 it resumes with */
    uint32_t regs[8];                      /* stand-ins for r4-r11 */
    uintptr_t stack_base;                  /* bottom of the stack it may use */
    uintptr_t stack_limit;                 /* top of the stack it may use */
    uint8_t *stack;                        /* base of its stack slot */
    const struct cmrx_process *rpc_caller; /* whose .shared it sees in a call */
};

/** Number of context switches requested since the last host_port_reset(). */
extern unsigned host_switch_requests;
/** What port_tick_phase_us() returns. */
extern uint32_t host_tick_phase;
/** Interrupt lines unmasked by the kernel. */
extern uint32_t host_irq_enabled;

void port_init(void);
void port_thread_init(struct cmrx_thread *t, const struct cmrx_process *p,
                      cmrx_thread_entry_t entry, void *arg, uint8_t *stack, uint32_t size);
void port_set_return(struct cmrx_thread *t, int32_t value);
uint32_t port_tick_phase_us(void);
__attribute__((noreturn)) void port_start_first(struct cmrx_thread *t);
uintptr_t port_syscall_arg(const struct cmrx_thread *t, unsigned i);
bool port_syscall_args6(const struct cmrx_thread *t, uintptr_t out[6]);
uintptr_t port_thread_sp(const struct cmrx_thread *t);
uint8_t *port_thread_stack(const struct cmrx_thread *t);
void port_ctx_call(struct cmrx_thread *t, uintptr_t sp, uintptr_t fn, const uintptr_t args[4],
                   uintptr_t lr);
uintptr_t port_stack_boundary(const struct cmrx_thread *t, uintptr_t at);
void port_stack_limit(struct cmrx_thread *t, uintptr_t base, uintptr_t limit);
void port_rpc_map(struct cmrx_thread *t, const struct cmrx_process *callee,
                  const struct cmrx_process *caller);
void port_irq_enable(unsigned irq);
void port_irq_disable(unsigned irq);

static inline void port_request_switch(void)
{
    host_switch_requests++;
}

#include "../common/atomic_builtin.h"

/** Perform the pending switch: cmrx_sched.current = cmrx_sched.next (and
 *  deliver signals, as the real port does on switch-in). */
void host_port_switch(void);

/** Forget recorded switch requests, the tick phase and unmasked lines. */
void host_port_reset(void);

#endif
