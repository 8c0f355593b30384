/* The system call table: SVC immediate -> kernel function.
 *
 * The port's SVC handler loads r0-r3 from the caller's exception frame and
 * calls the entry; the return value is written back to the frame's r0.
 */
#include "kernel.h"

#include <cmrx/sys/syscalls.h>

typedef int32_t (*cmrx_syscall_fn)(uint32_t, uint32_t, uint32_t, uint32_t);

/* Calling through the common type is how every register-passing ABI works;
 * the detour through a plain function type keeps the compiler quiet. */
#define SYSCALL(fn) [CMRX_SYS_##fn] = (cmrx_syscall_fn)(void (*)(void))

const cmrx_syscall_fn cmrx_syscall_table[CMRX_SYS_COUNT] = {
    SYSCALL(THREAD_SELF) sys_thread_self,
    SYSCALL(THREAD_CREATE) sys_thread_create,
    SYSCALL(THREAD_EXIT) sys_thread_exit,
    SYSCALL(THREAD_JOIN) sys_thread_join,
    SYSCALL(THREAD_YIELD) sys_thread_yield,
    SYSCALL(THREAD_SET_PRIO) sys_thread_set_priority,
    SYSCALL(THREAD_GET_PRIO) sys_thread_get_priority,
    SYSCALL(USLEEP) sys_usleep,
    SYSCALL(TIME_US) sys_time_us,
    SYSCALL(CONSOLE_WRITE) sys_console_write,
    SYSCALL(SHUTDOWN) sys_shutdown,
};

int32_t sys_shutdown(int32_t code)
{
    const struct cmrx_process *p = cmrx_sched.current->process;
    if ((p->flags & CMRX_PROC_SYSTEM) == 0) {
        return CMRX_EPERM;
    }
    kprintf("[cmrx] shutdown by process %s, code %ld\n", p->name, (long)code);
    bsp_shutdown((int)code);
}
