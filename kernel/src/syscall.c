/* The system call tables: SVC immediate -> kernel function.
 *
 * Fast calls: the port's SVC handler loads r0-r3 from the caller's
 * exception frame, calls the entry and writes the result to the frame's r0.
 * Context calls (from CMRX_SYS_CTX_FIRST): the port saves the whole thread
 * context first and passes the thread; they set results themselves and
 * leave in cmrx_sched.next the thread the port runs next.
 */
#include "kernel.h"

#include <string.h>

#include <cmrx/sys/syscalls.h>

typedef int32_t (*cmrx_syscall_fn)(uint32_t, uint32_t, uint32_t, uint32_t);
typedef void (*cmrx_ctx_syscall_fn)(struct cmrx_thread *);

/* Calling through the common type is how every register-passing ABI works;
 * the detour through a plain function type keeps the compiler quiet. */
#define SYSCALL(fn) [CMRX_SYS_##fn] = (cmrx_syscall_fn)(void (*)(void))

const cmrx_syscall_fn cmrx_syscall_table[CMRX_SYS_CTX_FIRST] = {
    SYSCALL(THREAD_SELF) sys_thread_self,
    SYSCALL(THREAD_CREATE) sys_thread_create,
    SYSCALL(THREAD_JOIN) sys_thread_join,
    SYSCALL(THREAD_SET_PRIO) sys_thread_set_priority,
    SYSCALL(THREAD_GET_PRIO) sys_thread_get_priority,
    SYSCALL(USLEEP) sys_usleep,
    SYSCALL(TIME_US) sys_time_us,
    SYSCALL(CONSOLE_WRITE) sys_console_write,
    SYSCALL(SHUTDOWN) sys_shutdown,
    SYSCALL(WAIT) sys_wait,
    SYSCALL(NOTIFY) sys_notify,
    SYSCALL(IRQ_ENABLE) sys_irq_enable,
    SYSCALL(IRQ_DISABLE) sys_irq_disable,
    SYSCALL(IRQ_WAIT) sys_irq_wait,
    SYSCALL(SETITIMER) sys_setitimer,
    SYSCALL(SIGNAL_HANDLER) sys_signal_handler,
    SYSCALL(SIGNAL_SEND) sys_signal_send,
    SYSCALL(SIGNAL_WAIT) sys_signal_wait,
    SYSCALL(PROCESS_SELF) sys_process_self,
    SYSCALL(PROCESS_RESTARTS) sys_process_restarts,
    SYSCALL(RPC_CALLER) sys_rpc_caller,
    SYSCALL(RPC_BUFFER) sys_rpc_buffer,
    SYSCALL(UPDATE_WRITE) sys_update_write,
    SYSCALL(FLASH_OP) sys_flash_op,
    SYSCALL(RPC_CALLER_RUN) sys_rpc_caller_run,
    SYSCALL(CRASH_RECORD) sys_crash_record,
    SYSCALL(IDLE_WORK) sys_idle_work,
    SYSCALL(UPDATE_INFO) sys_update_info,
    SYSCALL(PROCESS_NAME) sys_process_name,
};

/* The RPC return, the last call, has no slot: the port enters it on its
 * own path (it saves no context) and calls ctx_rpc_return() itself. */
const cmrx_ctx_syscall_fn cmrx_ctx_syscall_table[CMRX_SYS_RPC_RETURN - CMRX_SYS_CTX_FIRST] = {
    [CMRX_SYS_THREAD_YIELD - CMRX_SYS_CTX_FIRST] = ctx_thread_yield,
    [CMRX_SYS_THREAD_EXIT - CMRX_SYS_CTX_FIRST] = ctx_thread_exit,
    [CMRX_SYS_PROCESS_CONTROL - CMRX_SYS_CTX_FIRST] = ctx_process_control,
    [CMRX_SYS_RPC_CALL - CMRX_SYS_CTX_FIRST] = ctx_rpc_call,
    [CMRX_SYS_SIGNAL_RETURN - CMRX_SYS_CTX_FIRST] = ctx_signal_return,
    [CMRX_SYS_UPDATE_COMMIT - CMRX_SYS_CTX_FIRST] = ctx_update_commit,
};

/* Updates: update.c when the firmware has updatable processes. */
int32_t sys_update_write(uint32_t pid, uint32_t offset, const void *buf, uint32_t len)
{
    return cmrx_updater != NULL ? cmrx_updater->write(pid, offset, buf, len) : CMRX_EINVAL;
}

void ctx_update_commit(struct cmrx_thread *t)
{
    if (cmrx_updater != NULL) {
        cmrx_updater->commit(t);
    } else {
        port_set_return(t, CMRX_EINVAL);
    }
}

/* Text s into dst[size] (size > 0), cut to size - 1 bytes and terminated.
 * @return s's length. Not inlined: one copy of the loop for every text. */
__attribute__((noinline)) static uint32_t copy_text(char *dst, uint32_t size, const char *s)
{
    uint32_t n = 0;
    for (; s[n] != '\0'; n++) {
        if (n + 1u < size) {
            dst[n] = s[n];
        }
    }
    dst[n < size ? n : size - 1u] = '\0';
    return n;
}

int32_t sys_update_info(uint32_t pid, struct cmrx_update_info *out)
{
    struct cmrx_thread *t = cmrx_sched.current;
    if ((thread_active(t)->flags & CMRX_PROC_UPDATER) == 0) {
        return CMRX_EPERM;
    }
    if (pid >= cmrx_process_count) {
        return CMRX_EINVAL;
    }
    if (!access_out_ok(t, out, sizeof(*out))) {
        return CMRX_EFAULT;
    }
    const struct cmrx_process *p = &cmrx_processes[pid];
    memset(out, 0, sizeof(*out));
    copy_text(out->name, sizeof(out->name), p->name);
    if (p->update != NULL) { /* (then the firmware has the updater, as at boot) */
        copy_text(out->refusal, sizeof(out->refusal), cmrx_updater->info(p, out));
    }
    return CMRX_OK;
}

/* Names are public (they are in every fault report); what a service does
 * with one is its own check (cmrx_process_is()). At most the name's
 * length is copied: bounded by the build's name limit, not by @p size. */
int32_t sys_process_name(uint32_t pid, char *buf, uint32_t size)
{
    if (pid >= cmrx_process_count || size == 0u) {
        return CMRX_EINVAL;
    }
    if (!access_ok(cmrx_sched.current, buf, size, true)) {
        return CMRX_EFAULT;
    }
    return (int32_t)copy_text(buf, size, cmrx_processes[pid].name);
}

int32_t sys_shutdown(int32_t code)
{
    const struct cmrx_process *p = thread_active(cmrx_sched.current);
    if ((p->flags & CMRX_PROC_SYSTEM) == 0) {
        return CMRX_EPERM;
    }
    if (code == CMRX_SHUTDOWN_REBOOT) {
        kprintf("reboot by process %s\n", p->name);
    } else {
        kprintf("shutdown by process %s, code %ld\n", p->name, (long)code);
    }
    console_flush();
#if CMRX_TRACE_EVENTS
    trace_dump();
#endif
    if (code == CMRX_SHUTDOWN_REBOOT) {
        bsp_reset();
    }
    bsp_shutdown((int)code);
}
