/* System call numbers: the ABI between the userspace library and the kernel.
 *
 * The number is the immediate of the SVC instruction. Arguments travel in
 * r0-r3 (and, for RPC calls, two more on the caller's stack) and the result
 * comes back in r0. Calls from CMRX_SYS_CTX_FIRST on are context calls: the
 * kernel saves the whole thread context before handling them, because they
 * change which code the thread runs next (exit, RPC call and return,
 * signal return, and process control and update commit, which may unwind
 * the caller out of the process they stop), or, for yield, so that the
 * switch happens in the call itself rather than in a second exception.
 */
#ifndef CMRX_SYS_SYSCALLS_H
#define CMRX_SYS_SYSCALLS_H

#define CMRX_SYS_THREAD_SELF      0
#define CMRX_SYS_THREAD_CREATE    1
#define CMRX_SYS_THREAD_JOIN      2
#define CMRX_SYS_UPDATE_INFO      3
#define CMRX_SYS_THREAD_SET_PRIO  4
#define CMRX_SYS_THREAD_GET_PRIO  5
#define CMRX_SYS_USLEEP           6
#define CMRX_SYS_TIME_US          7
#define CMRX_SYS_CONSOLE_WRITE    8
#define CMRX_SYS_SHUTDOWN         9
#define CMRX_SYS_WAIT             10
#define CMRX_SYS_NOTIFY           11
#define CMRX_SYS_IRQ_ENABLE       12
#define CMRX_SYS_IRQ_DISABLE      13
#define CMRX_SYS_IRQ_WAIT         14
#define CMRX_SYS_SETITIMER        15
#define CMRX_SYS_SIGNAL_HANDLER   16
#define CMRX_SYS_SIGNAL_SEND      17
#define CMRX_SYS_SIGNAL_WAIT      18
#define CMRX_SYS_PROCESS_SELF     19
#define CMRX_SYS_PROCESS_RESTARTS 20
#define CMRX_SYS_RPC_CALLER       21
#define CMRX_SYS_RPC_BUFFER       22
#define CMRX_SYS_UPDATE_WRITE     23
#define CMRX_SYS_FLASH_OP         24
#define CMRX_SYS_RPC_CALLER_RUN   25
#define CMRX_SYS_CRASH_RECORD     26
#define CMRX_SYS_IDLE_WORK        27
#define CMRX_SYS_PROCESS_NAME     28
#define CMRX_SYS_CTX_FIRST        29
#define CMRX_SYS_THREAD_YIELD     29
#define CMRX_SYS_THREAD_EXIT      30
#define CMRX_SYS_PROCESS_CONTROL  31
#define CMRX_SYS_RPC_CALL         32
#define CMRX_SYS_SIGNAL_RETURN    33
#define CMRX_SYS_UPDATE_COMMIT    34
#define CMRX_SYS_RPC_RETURN       35 /* last: the SVC handler relies on it */
#define CMRX_SYS_COUNT            36

#endif
