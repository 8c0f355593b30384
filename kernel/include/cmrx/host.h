/* Host unit tests of process code (`cmrx test`, tests/host/NAME.c; see
 * docs/testing.md). A test is a CMocka program built for Linux with
 * CMRX_HOST_UNIT defined, together with the process code it tests and a
 * stand-in for the userspace API (kernel/lib/host/unit.c). There is one
 * thread and no kernel; each call behaves as follows:
 *
 *  - cmrx_rpc_call() calls the method through the service's vtable, as a
 *    plain C call. To stand in for a service a process calls, define an
 *    object of the service's type in the test, with a vtable of your own
 *    methods, under the name the process uses (and leave the service's
 *    own source out of the test).
 *  - cmrx_rpc_buffer() accepts a buffer inside a call and in CMRX_SHARED
 *    memory (of any code of the test), as the kernel would for a caller's;
 *    cmrx_rpc_caller_run() likewise, with cmrx_host_caller in its first run.
 *  - cmrx_process_name() answers from cmrx_host_process_names (below),
 *    so cmrx_process_is(), cmrx_process_find() and cmrx_owner_check()
 *    work as on target.
 *  - cmrx_flash_op() returns CMRX_ENOSYS.
 *  - cmrx_printf() and cmrx_console_write() print on stdout.
 *  - cmrx_time_us() reads a clock that only cmrx_usleep() (and the test,
 *    through cmrx_host_now_us) moves.
 *  - cmrx_shutdown(code) calls cmrx_host_shutdown(code) if the test set
 *    it (to longjmp() back into the test, say), else ends the test program
 *    with that exit code; cmrx_thread_exit() likewise.
 *  - threads, signals, IRQs, waits and process control return CMRX_ENOSYS
 *    or succeed without effect, as documented at each below; what needs
 *    them is tested on target (tests/target/).
 */
#ifndef CMRX_HOST_H
#define CMRX_HOST_H

#include <stdint.h>

/** The clock cmrx_time_us() reads, in microseconds; the test may set it. */
extern uint32_t cmrx_host_now_us;

/** How many RPC calls are in flight (cmrx_rpc_call() nesting). */
extern unsigned cmrx_host_rpc_depth;

/** What cmrx_rpc_caller() returns inside a call (default 0). */
extern int cmrx_host_caller;

/**
 * The processes' names cmrx_process_name() answers with, indexed by pid
 * and ended by NULL; the test may set it (default: no processes, every
 * pid is CMRX_EINVAL).
 */
extern const char *const *cmrx_host_process_names;

/** Called by cmrx_shutdown() and cmrx_thread_exit() if set; it must not return. */
extern void (*cmrx_host_shutdown)(int code);

/** Enter a call (for cmrx_rpc_call()). */
void cmrx_host_rpc_enter(void);

/** Leave a call returning @p result (for cmrx_rpc_call()). @return @p result. */
int cmrx_host_rpc_leave(int result);

#endif
