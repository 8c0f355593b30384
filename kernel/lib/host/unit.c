/* The userspace API for host unit tests of process code (cmrx/host.h):
 * one thread, no kernel, each call as simple as its contract allows. */
#include <cmrx/cmrx.h>
#include <cmrx/host.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

uint32_t cmrx_host_now_us;
unsigned cmrx_host_rpc_depth;
int cmrx_host_caller;
void (*cmrx_host_shutdown)(int code);

/* The bounds of every CMRX_SHARED variable of the test program, from the linker. */
extern char __start_cmrx_shared[] __attribute__((weak));
extern char __stop_cmrx_shared[] __attribute__((weak));

void cmrx_host_rpc_enter(void)
{
    cmrx_host_rpc_depth++;
}

int cmrx_host_rpc_leave(int result)
{
    cmrx_host_rpc_depth--;
    return result;
}

int cmrx_rpc_caller(void)
{
    return cmrx_host_rpc_depth > 0 ? cmrx_host_caller : CMRX_ESRCH;
}

int cmrx_rpc_buffer(const void *buf, size_t len)
{
    if (cmrx_host_rpc_depth == 0) {
        return CMRX_ESRCH;
    }
    const char *p = buf;
    if (__start_cmrx_shared == NULL || p < __start_cmrx_shared || p > __stop_cmrx_shared ||
        len > (size_t)(__stop_cmrx_shared - p)) {
        return CMRX_EFAULT;
    }
    return CMRX_OK;
}

int cmrx_rpc_caller_run(const void *buf, size_t len)
{
    int rc = len != 0 ? cmrx_rpc_buffer(buf, len) : cmrx_rpc_caller();
    return rc < 0 ? rc : cmrx_host_caller; /* the caller's first run: restarts 0 */
}

int cmrx_flash_op(uint32_t op, uint32_t addr, const void *data, uint32_t len)
{
    (void)op, (void)addr, (void)data, (void)len;
    return CMRX_ENOSYS; /* as on a board whose flash a driver programs itself */
}

/* The console system call: all of it at once (printf.c's
 * cmrx_console_write() loops over it as on target). */
int cmrx_console_write_some(const char *buf, size_t len)
{
    fwrite(buf, 1, len, stdout);
    fflush(stdout);
    return (int)len;
}

int cmrx_shutdown(int code)
{
    fflush(stdout);
    if (cmrx_host_shutdown != NULL) {
        cmrx_host_shutdown(code);
    }
    exit(code);
}

int cmrx_usleep(uint32_t us)
{
    cmrx_host_now_us += us;
    return CMRX_OK;
}

uint32_t cmrx_time_us(void)
{
    return cmrx_host_now_us;
}

int cmrx_setitimer(uint32_t period_us)
{
    (void)period_us;
    return CMRX_ENOSYS;
}

cmrx_tid_t cmrx_thread_create(cmrx_thread_entry_t entry, void *arg, unsigned priority)
{
    (void)entry;
    (void)arg;
    (void)priority;
    return CMRX_ENOSYS;
}

void cmrx_thread_exit(int code)
{
    cmrx_shutdown(code);
    exit(code);
}

int cmrx_thread_join(cmrx_tid_t tid, int *exit_code)
{
    (void)tid;
    (void)exit_code;
    return CMRX_ESRCH;
}

void cmrx_thread_yield(void)
{
}

cmrx_tid_t cmrx_thread_self(void)
{
    return 0;
}

int cmrx_thread_set_priority(cmrx_tid_t tid, unsigned priority)
{
    (void)tid;
    (void)priority;
    return CMRX_OK;
}

int cmrx_thread_get_priority(cmrx_tid_t tid)
{
    (void)tid;
    return 16;
}

int cmrx_process_self(void)
{
    return 0;
}

int cmrx_process_restarts(unsigned pid)
{
    (void)pid;
    return 0;
}

const char *const *cmrx_host_process_names;

int cmrx_process_name(unsigned pid, char *buf, size_t size)
{
    const char *const *n = cmrx_host_process_names;
    unsigned count = 0;
    while (n != NULL && n[count] != NULL) {
        count++;
    }
    if (pid >= count || size == 0) {
        return CMRX_EINVAL;
    }
    snprintf(buf, size, "%s", n[pid]);
    return (int)strlen(n[pid]);
}

int cmrx_process_control(unsigned pid, unsigned op)
{
    (void)pid;
    (void)op;
    return CMRX_ENOSYS;
}

int cmrx_signal_handler(cmrx_signal_handler_t handler)
{
    (void)handler;
    return CMRX_OK;
}

int cmrx_signal_send(cmrx_tid_t tid, uint32_t signals)
{
    (void)tid;
    (void)signals;
    return CMRX_ENOSYS;
}

int cmrx_signal_wait(uint32_t mask, uint32_t timeout_us)
{
    (void)mask;
    cmrx_host_now_us += timeout_us;
    return CMRX_ETIMEDOUT;
}

int cmrx_irq_enable(unsigned irq)
{
    (void)irq;
    return CMRX_OK;
}

int cmrx_irq_disable(unsigned irq)
{
    (void)irq;
    return CMRX_OK;
}

int cmrx_irq_wait(unsigned irq, uint32_t timeout_us)
{
    (void)irq;
    cmrx_host_now_us += timeout_us;
    return CMRX_ETIMEDOUT;
}

/* One thread: a word that holds what the caller expects would wait for
 * ever, so the wait times out at once (time moves by the timeout). */
int cmrx_wait(const volatile uint32_t *word, uint32_t expected, uint32_t timeout_us)
{
    if (*word != expected) {
        return CMRX_EAGAIN;
    }
    cmrx_host_now_us += timeout_us;
    return CMRX_ETIMEDOUT;
}

int cmrx_notify(const volatile uint32_t *word, unsigned count)
{
    (void)word;
    (void)count;
    return 0;
}
