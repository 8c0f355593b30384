/* System call numbers: the ABI between the userspace library and the kernel.
 *
 * The number is the immediate of the SVC instruction. Arguments travel in
 * r0-r3 and the result comes back in r0. Append new calls at the end.
 */
#ifndef CMRX_SYS_SYSCALLS_H
#define CMRX_SYS_SYSCALLS_H

#define CMRX_SYS_THREAD_SELF     0
#define CMRX_SYS_THREAD_CREATE   1
#define CMRX_SYS_THREAD_EXIT     2
#define CMRX_SYS_THREAD_JOIN     3
#define CMRX_SYS_THREAD_YIELD    4
#define CMRX_SYS_THREAD_SET_PRIO 5
#define CMRX_SYS_THREAD_GET_PRIO 6
#define CMRX_SYS_USLEEP          7
#define CMRX_SYS_TIME_US         8
#define CMRX_SYS_CONSOLE_WRITE   9
#define CMRX_SYS_SHUTDOWN        10
#define CMRX_SYS_COUNT           11

#endif
