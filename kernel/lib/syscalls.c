/* System call stubs: one SVC per call, the number is the SVC immediate.
 *
 * The stubs are naked so that a call costs exactly the SVC and a return:
 * arguments are already in r0-r3 (and on the stack, for RPC calls) per the
 * AAPCS, and the kernel writes the result to r0. The same Thumb sequence
 * serves every Cortex-M.
 */
#include <cmrx/cmrx.h>
#include <cmrx/sys/syscalls.h>
#include <cmrx/update.h>

#if defined(__x86_64__)
/* The host simulation (kernel/arch/sim): the number in eax, the arguments
 * where the SysV ABI has them, and a jump to the port's gate, which
 * returns to the stub's caller. */
#define SVC_STUB(num)     __asm volatile("mov %[n], %%eax\n\tjmp cmrx_sim_svc" : : [n] "i"(num))
#define SVC_NORETURN(num) SVC_STUB(num)
#else
#define SVC_STUB(num) __asm volatile("svc %[n]\n\tbx lr" : : [n] "i"(num))
/* For calls that never come back to the stub. */
#define SVC_NORETURN(num) __asm volatile("svc %[n]\n\tb ." : : [n] "i"(num))
#endif

__attribute__((naked)) cmrx_tid_t cmrx_thread_self(void)
{
    SVC_STUB(CMRX_SYS_THREAD_SELF);
}

__attribute__((naked)) cmrx_tid_t cmrx_thread_create(cmrx_thread_entry_t entry, void *arg,
                                                     unsigned priority)
{
    (void)entry, (void)arg, (void)priority;
    SVC_STUB(CMRX_SYS_THREAD_CREATE);
}

__attribute__((naked)) void cmrx_thread_exit(int code)
{
    (void)code;
    /* Inside an RPC call the kernel ends the call instead: execution goes
     * on in the caller, never here. */
    SVC_NORETURN(CMRX_SYS_THREAD_EXIT);
}

__attribute__((naked)) int cmrx_thread_join(cmrx_tid_t tid, int *exit_code)
{
    (void)tid, (void)exit_code;
    SVC_STUB(CMRX_SYS_THREAD_JOIN);
}

__attribute__((naked)) void cmrx_thread_yield(void)
{
    SVC_STUB(CMRX_SYS_THREAD_YIELD);
}

__attribute__((naked)) int cmrx_thread_set_priority(cmrx_tid_t tid, unsigned priority)
{
    (void)tid, (void)priority;
    SVC_STUB(CMRX_SYS_THREAD_SET_PRIO);
}

__attribute__((naked)) int cmrx_thread_get_priority(cmrx_tid_t tid)
{
    (void)tid;
    SVC_STUB(CMRX_SYS_THREAD_GET_PRIO);
}

__attribute__((naked)) int cmrx_usleep(uint32_t us)
{
    (void)us;
    SVC_STUB(CMRX_SYS_USLEEP);
}

__attribute__((naked)) uint32_t cmrx_time_us(void)
{
    SVC_STUB(CMRX_SYS_TIME_US);
}

__attribute__((naked)) int cmrx_console_write_some(const char *buf, size_t len)
{
    (void)buf, (void)len;
    SVC_STUB(CMRX_SYS_CONSOLE_WRITE);
}

__attribute__((naked)) int cmrx_shutdown(int code)
{
    (void)code;
    SVC_STUB(CMRX_SYS_SHUTDOWN);
}

int cmrx_reboot(void)
{
    return cmrx_shutdown(CMRX_SHUTDOWN_REBOOT);
}

__attribute__((naked)) int cmrx_crash_record(struct cmrx_crash_info *out)
{
    (void)out;
    SVC_STUB(CMRX_SYS_CRASH_RECORD);
}

/* The idle thread's call (lib/idle.c): not for processes (CMRX_EPERM). */
int cmrx_idle_work(void);
__attribute__((naked)) int cmrx_idle_work(void)
{
    SVC_STUB(CMRX_SYS_IDLE_WORK);
}

__attribute__((naked)) int cmrx_wait(const volatile uint32_t *word, uint32_t expected,
                                     uint32_t timeout_us)
{
    (void)word, (void)expected, (void)timeout_us;
    SVC_STUB(CMRX_SYS_WAIT);
}

__attribute__((naked)) int cmrx_notify(const volatile uint32_t *word, unsigned count)
{
    (void)word, (void)count;
    SVC_STUB(CMRX_SYS_NOTIFY);
}

__attribute__((naked)) int cmrx_irq_enable(unsigned irq)
{
    (void)irq;
    SVC_STUB(CMRX_SYS_IRQ_ENABLE);
}

__attribute__((naked)) int cmrx_irq_disable(unsigned irq)
{
    (void)irq;
    SVC_STUB(CMRX_SYS_IRQ_DISABLE);
}

__attribute__((naked)) int cmrx_irq_wait(unsigned irq, uint32_t timeout_us)
{
    (void)irq, (void)timeout_us;
    SVC_STUB(CMRX_SYS_IRQ_WAIT);
}

__attribute__((naked)) int cmrx_setitimer(uint32_t period_us)
{
    (void)period_us;
    SVC_STUB(CMRX_SYS_SETITIMER);
}

__attribute__((naked)) int cmrx_signal_handler(cmrx_signal_handler_t handler)
{
    (void)handler;
    SVC_STUB(CMRX_SYS_SIGNAL_HANDLER);
}

__attribute__((naked)) int cmrx_signal_send(cmrx_tid_t tid, uint32_t signals)
{
    (void)tid, (void)signals;
    SVC_STUB(CMRX_SYS_SIGNAL_SEND);
}

__attribute__((naked)) int cmrx_signal_wait(uint32_t mask, uint32_t timeout_us)
{
    (void)mask, (void)timeout_us;
    SVC_STUB(CMRX_SYS_SIGNAL_WAIT);
}

__attribute__((naked)) int cmrx_process_self(void)
{
    SVC_STUB(CMRX_SYS_PROCESS_SELF);
}

__attribute__((naked)) int cmrx_process_restarts(unsigned pid)
{
    (void)pid;
    SVC_STUB(CMRX_SYS_PROCESS_RESTARTS);
}

__attribute__((naked)) int cmrx_process_name(unsigned pid, char *buf, size_t size)
{
    (void)pid, (void)buf, (void)size;
    SVC_STUB(CMRX_SYS_PROCESS_NAME);
}

__attribute__((naked)) int cmrx_rpc_caller(void)
{
    SVC_STUB(CMRX_SYS_RPC_CALLER);
}

__attribute__((naked)) int cmrx_rpc_caller_run(const void *buf, size_t len)
{
    (void)buf, (void)len;
    SVC_STUB(CMRX_SYS_RPC_CALLER_RUN);
}

__attribute__((naked)) int cmrx_rpc_buffer(const void *buf, size_t len)
{
    (void)buf, (void)len;
    SVC_STUB(CMRX_SYS_RPC_BUFFER);
}

__attribute__((naked)) int cmrx_flash_op(uint32_t op, uint32_t addr, const void *data,
                                         uint32_t len)
{
    (void)op, (void)addr, (void)data, (void)len;
    SVC_STUB(CMRX_SYS_FLASH_OP);
}

__attribute__((naked)) int cmrx_process_control(unsigned pid, unsigned op)
{
    (void)pid, (void)op;
    SVC_STUB(CMRX_SYS_PROCESS_CONTROL);
}

__attribute__((naked)) int cmrx_update_write_some(unsigned pid, uint32_t offset, const void *buf,
                                                  size_t len)
{
    (void)pid, (void)offset, (void)buf, (void)len;
    SVC_STUB(CMRX_SYS_UPDATE_WRITE);
}

__attribute__((naked)) int cmrx_update_commit(unsigned pid, unsigned flags)
{
    (void)pid, (void)flags;
    SVC_STUB(CMRX_SYS_UPDATE_COMMIT);
}

__attribute__((naked)) int cmrx_update_info(unsigned pid, struct cmrx_update_info *out)
{
    (void)pid, (void)out;
    SVC_STUB(CMRX_SYS_UPDATE_INFO);
}

#if defined(__x86_64__)
uintptr_t cmrx_sim_syscall(uintptr_t a0, uintptr_t a1, uintptr_t a2, uintptr_t a3, uintptr_t a4,
                           uintptr_t a5, uintptr_t num);

/* A restarting callee: the kernel made the thread wait until it is up (or
 * killed) and answers CMRX_ERPC_RETRY: the call is made again. */
int _cmrx_rpc_call(const void *service, unsigned method, uint32_t a, uint32_t b, uint32_t c,
                   uint32_t d)
{
    int r;
    do {
        r = (int)cmrx_sim_syscall((uintptr_t)service, method, a, b, c, d, CMRX_SYS_RPC_CALL);
    } while (r == CMRX_ERPC_RETRY);
    return r;
}
#else
/* All six arguments reach the kernel in registers: the service, the
 * method and a, b in r0-r3, c and d (on this function's stack) in r12 and
 * lr, which the exception frame holds too. So the kernel takes them from
 * the frame the CPU stacked and reads nothing of the thread's stack
 * beyond it. The return address waits in r5, which the kernel saves with
 * the caller's context (the debugger's `cmrx bt` finds the caller there).
 * A restarting callee: the kernel made the thread wait until it is up (or
 * killed) and answers CMRX_ERPC_RETRY: the call is made again, with the
 * service kept in r4 (the exception return restored r1-r3, r12 and lr). */
/* ARMv6-M: divided syntax (add sets flags), loads only to low registers. */
#if __ARM_ARCH_ISA_THUMB == 1
#define RPC_ENTER                                                                                  \
    "push {r4, r5, r6, lr}\n\tmov r4, r0\n\tmov r5, lr\n\tldr r6, [sp, #16]\n\t"                   \
    "mov r12, r6\n\tldr r6, [sp, #20]\n\tmov lr, r6\n"
#define RPC_LEAVE "pop {r4, r5, r6, pc}"
#define ADDS_R0   "add r0, %[r]"
#define SUBS_R0   "sub r0, %[r]"
#else
#define RPC_ENTER "push {r3, r4, r5, lr}\n\tmov r4, r0\n\tmov r5, lr\n\tldrd r12, lr, [sp, #16]\n"
#define RPC_LEAVE "pop {r3, r4, r5, pc}"
#define ADDS_R0   "adds r0, r0, %[r]"
#define SUBS_R0   "subs r0, r0, %[r]"
#endif
__attribute__((naked)) int _cmrx_rpc_call(const void *service, unsigned method, uint32_t a,
                                          uint32_t b, uint32_t c, uint32_t d)
{
    (void)service, (void)method, (void)a, (void)b, (void)c, (void)d;
    __asm volatile(RPC_ENTER "1:\tsvc %[n]\n\t" ADDS_R0 "\n\t" /* Z: it was CMRX_ERPC_RETRY */
                             "bne 2f\n\t"
                             "mov r0, r4\n\t"
                             "b 1b\n"
                             "2:\t" SUBS_R0 "\n\t" RPC_LEAVE
                   :
                   : [n] "i"(CMRX_SYS_RPC_CALL), [r] "i"(-CMRX_ERPC_RETRY));
}

#endif

/* Where a method returns to: r0 holds its return value. */
__attribute__((naked)) void cmrx_rpc_return_trampoline(void)
{
    SVC_NORETURN(CMRX_SYS_RPC_RETURN);
}

/* Where a signal handler returns to. */
__attribute__((naked)) void cmrx_signal_return_trampoline(void)
{
    SVC_NORETURN(CMRX_SYS_SIGNAL_RETURN);
}
