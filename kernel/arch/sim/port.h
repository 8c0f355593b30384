/* Sim port: the kernel and every process of a firmware as one Linux
 * program (board `host`, docs/testing.md "Host simulation").
 *
 * Threads are ucontexts on one Linux thread. A system call swaps to the
 * kernel's context, which runs on a stack of its own with the tick signal
 * blocked, as a Cortex-M kernel runs in Handler mode at the lowest
 * exception priority. Each process's RAM, its .shared and each thread's
 * stack are pages that mprotect() opens only while they may be used, and
 * the kernel's RAM is closed while a thread runs: a stray access faults
 * (SIGSEGV) and the kernel reports it as it does on a board.
 */
#ifndef CMRX_PORT_H
#define CMRX_PORT_H

#include <stdint.h>

struct cmrx_process;

#define CMRX_PORT_THUMB             0
#define CMRX_PORT_PROCESS_MPU_WORDS 8 /* unused: the port maps by the process table */
#define CMRX_PORT_IRQ_COUNT         32
#define CMRX_PORT_HOT               /* port.c defines the context operations */

/** Room for a glibc ucontext_t (checked in port.c), kept opaque so that the
 *  kernel's sources need no feature macros. */
#define CMRX_SIM_UC_SIZE 1024

/* Per RPC call: whose .shared memory the callee sees. */
struct cmrx_port_frame {
    const struct cmrx_process *caller;
};

struct cmrx_port_context {
    const uint32_t *mpu_image; /* its active process (cmrx_process.mpu) */
    uintptr_t sp;              /* stack pointer at its last kernel entry */
    int32_t retval;            /* what its pending system call returns */
    uintptr_t args[6];         /* arguments of its pending system call */
    uintptr_t stack_base;      /* window of its stack it may use */
    uintptr_t stack_limit;
    uint8_t *stack;                        /* base of its stack slot */
    const struct cmrx_process *rpc_caller; /* whose .shared it sees in a call */
    uintptr_t call[7];                     /* a fresh call: fn, lr, sp, args[4]; fn 0: none */
    uint8_t *xsave;      /* saved by a signal: its FP/vector state, on its stack; NULL: */
    uint32_t xsave_size; /* saved at a call (or made fresh), setcontext() resumes it */
    _Alignas(16) unsigned char uc[CMRX_SIM_UC_SIZE]; /* registers to resume with */
};

#include "../common/atomic_builtin.h"

#endif
