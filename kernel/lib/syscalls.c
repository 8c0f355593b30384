/* System call stubs: one SVC per call, the number is the SVC immediate.
 *
 * The stubs are naked so that a call costs exactly the SVC and a return:
 * arguments are already in r0-r3 per the AAPCS, and the kernel writes the
 * result to r0. The same Thumb sequence serves every Cortex-M.
 */
#include <cmrx/cmrx.h>
#include <cmrx/sys/syscalls.h>

#define SVC_STUB(num) __asm volatile("svc %[n]\n\tbx lr" : : [n] "i"(num))

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
    /* Never returns: the kernel switches away for good. */
    __asm volatile("svc %[n]\n\tb ." : : [n] "i"(CMRX_SYS_THREAD_EXIT));
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

__attribute__((naked)) int cmrx_console_write(const char *buf, size_t len)
{
    (void)buf, (void)len;
    SVC_STUB(CMRX_SYS_CONSOLE_WRITE);
}

__attribute__((naked)) int cmrx_shutdown(int code)
{
    (void)code;
    SVC_STUB(CMRX_SYS_SHUTDOWN);
}
