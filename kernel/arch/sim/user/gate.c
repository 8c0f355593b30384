/* Sim port, thread side: the system call gate every process links. A
 * system call stub (kernel/lib/syscalls.c) puts the call's number in eax
 * and jumps to cmrx_sim_svc, which passes it as a seventh argument. */
#define _GNU_SOURCE
#include "../gate.h"

#include <unistd.h>

void cmrx_rpc_return_trampoline(void); /* kernel/lib/syscalls.c */

/* In the program's ordinary data, not the kernel's (its pages stay open). */
struct sim_gate cmrx_sim_gate;

/* The stub's return address is on the stack; push the number as the
 * seventh argument and call the C side (the stack stays 16-byte aligned). */
__asm__(".text\n"
        ".globl cmrx_sim_svc\n"
        ".hidden cmrx_sim_svc\n" /* as -fvisibility=hidden makes C functions */
        ".type cmrx_sim_svc, @function\n"
        "cmrx_sim_svc:\n"
        "\tpush %rax\n"
        "\tcall cmrx_sim_syscall\n"
        "\tadd $8, %rsp\n"
        "\tret\n"
        ".size cmrx_sim_svc, .-cmrx_sim_svc\n");

uintptr_t cmrx_sim_syscall(uintptr_t a0, uintptr_t a1, uintptr_t a2, uintptr_t a3, uintptr_t a4,
                           uintptr_t a5, uintptr_t num)
{
    struct sim_gate *g = &cmrx_sim_gate;
    g->mode = SIM_GATE; /* the tick waits: g is about to be filled */
    /* Not one store to g before that: the compiler may move plain stores
     * ahead of a volatile one, and a tick in between let another thread's
     * call overwrite this call's object (seen: CMRX_ERPC_FORGED, another
     * call's result, lost queue messages, under load). */
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    g->reason = SIM_CALL;
    g->num = num;
    g->args[0] = a0;
    g->args[1] = a1;
    g->args[2] = a2;
    g->args[3] = a3;
    g->args[4] = a4;
    g->args[5] = a5;
    /* getcontext() returns twice: now, and when the kernel resumes this
     * thread (swapcontext() would do both, but AddressSanitizer warns on
     * every program that calls it). */
    volatile int back = 0;
    getcontext(&g->entry);
    if (!back) {
        back = 1;
        setcontext(&g->kernel);
    }
    /* Back, maybe much later: the kernel left g->ret for this thread and
     * kept the tick off until it is read. */
    uintptr_t r = g->ret;
    __atomic_signal_fence(__ATOMIC_SEQ_CST); /* read before the tick may come */
    g->mode = SIM_USER;
    return r;
}

void cmrx_sim_trampoline(void)
{
    struct sim_gate *g = &cmrx_sim_gate;
    uintptr_t fn = g->call[0], lr = g->call[1], sp = g->call[2];
    uintptr_t a0 = g->call[3], a1 = g->call[4], a2 = g->call[5], a3 = g->call[6];
    __atomic_signal_fence(__ATOMIC_SEQ_CST); /* read before the tick may come */
    g->mode = SIM_USER;
    /* An RPC method's fourth argument after the object is on its stack, at
     * sp (kernel/src/rpc.c). */
    uintptr_t a4 = lr == (uintptr_t)cmrx_rpc_return_trampoline ? *(const uint32_t *)sp : 0u;
    uintptr_t r = ((uintptr_t(*)(uintptr_t, uintptr_t, uintptr_t, uintptr_t, uintptr_t))fn)(
        a0, a1, a2, a3, a4);
    /* cmrx_thread_exit, or a trampoline back into the kernel: never returns. */
    ((void (*)(uintptr_t))lr)(r);
    __builtin_unreachable();
}

/* The idle thread's wait for an interrupt: the tick signal ends it. The
 * wait counts on the program's clock (the kernel's entry takes it). */
void cmrx_sim_wfi(void)
{
    cmrx_sim_gate.idle_since = sim_clock_us(CLOCK_MONOTONIC);
    pause();
}
