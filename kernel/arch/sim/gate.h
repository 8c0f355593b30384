/* Sim port: the state a thread and the kernel hand each other across a
 * kernel entry or exit. It lies outside the kernel's RAM, which is closed
 * while a thread runs (a system call is a function call into the kernel on
 * the host: what it passes must stay readable on both sides). Nothing in
 * it is a right: the host simulation finds mistakes, it is no security
 * boundary (a process could call mprotect() itself).
 */
#ifndef CMRX_SIM_GATE_H
#define CMRX_SIM_GATE_H

#ifndef _GNU_SOURCE
#error "define _GNU_SOURCE before any include (ucontext_t)"
#endif
#include <signal.h>
#include <stdint.h>
#include <time.h>
#include <ucontext.h>

/* Who is on the CPU: the tick signal preempts only a thread in USER. */
enum sim_mode {
    SIM_KERNEL = 0, /* kernel code, on the kernel's stack */
    SIM_GATE,       /* a thread between its call and the kernel, or back */
    SIM_USER,       /* thread code: may be preempted */
};

/* Why the kernel was entered. */
enum sim_reason {
    SIM_CALL,  /* a system call: num and args */
    SIM_TICK,  /* the tick preempted a thread */
    SIM_FAULT, /* a thread faulted: signo, code, addr */
};

struct sim_gate {
    volatile sig_atomic_t mode; /* enum sim_mode */
    int reason;                 /* enum sim_reason */
    uintptr_t num;              /* system call number */
    uintptr_t args[6];          /* its arguments */
    uintptr_t ret;              /* what the call returns (thread side reads it) */
    uintptr_t call[7];          /* a fresh call: fn, lr, sp, args[4] */
    int signo;                  /* a fault */
    uintptr_t addr, pc, fp;     /* its address, where, and the frame pointer there */
    ucontext_t entry;           /* the entering thread's context */
    ucontext_t kernel;          /* the kernel's entry, on its own stack */
    ucontext_t exit;            /* the context being resumed */
    uint8_t *xsave;             /* its FP/vector state, when a signal saved it */
    uint32_t xsave_size;
    /* The host's monotonic clock (us) when the idle thread began to wait
     * for the tick, 0 while it does not: the program's clock counts that
     * wait, and only the CPU time the host gives it otherwise (port.c). */
    volatile uint64_t idle_since;
};

extern struct sim_gate cmrx_sim_gate;

/** Host clock @p id (CLOCK_MONOTONIC, a CPU-time clock) in microseconds. */
static inline uint64_t sim_clock_us(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/** The thread side of every system call (gate.c): enter the kernel with
 *  call @p num, return what the kernel answers. */
uintptr_t cmrx_sim_syscall(uintptr_t a0, uintptr_t a1, uintptr_t a2, uintptr_t a3, uintptr_t a4,
                           uintptr_t a5, uintptr_t num);

/** Where a fresh context starts (port_ctx_call): runs gate.call's function
 *  on the thread, then hands its result to the return address. */
void cmrx_sim_trampoline(void);

#endif
