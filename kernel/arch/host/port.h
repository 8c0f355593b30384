/* Host port: the portable kernel built for Linux, for unit tests.
 *
 * Nothing runs concurrently here: a "context switch" is the test calling
 * host_port_switch(), which does what PendSV does on a Cortex-M, and a
 * thread's context is a record the tests can read and set.
 */
#ifndef CMRX_PORT_H
#define CMRX_PORT_H

#include <stdint.h>

struct cmrx_process;

#define CMRX_PORT_THUMB             0
#define CMRX_PORT_PROCESS_MPU_WORDS 8
#define CMRX_PORT_IRQ_COUNT         32
#define CMRX_PORT_HOT               /* port.c defines the context operations */

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
/** What port_image_stamp() returns (a test sets another to be "another firmware"). */
extern uint32_t host_image_stamp;

#include "../common/atomic_builtin.h"

/** Perform the pending switch: cmrx_sched.current = cmrx_sched.next (and
 *  deliver signals, as the real port does on switch-in). */
void host_port_switch(void);

/** Forget recorded switch requests, the tick phase and unmasked lines. */
void host_port_reset(void);

#endif
