/* Whole-system control. */
#ifndef CMRX_SYSTEM_H
#define CMRX_SYSTEM_H

#include <stdint.h>

/** cmrx_shutdown()'s code that resets the system instead (cmrx_reboot()). */
#define CMRX_SHUTDOWN_REBOOT (-0x7FFF)

/**
 * Stop the system with @p code: on an emulated board QEMU exits with that
 * code, on a real board the MCU resets. With CMRX_SHUTDOWN_REBOOT the
 * system resets on every board, QEMU's included. Only processes declared
 * SYSTEM may do this; for others the call returns CMRX_EPERM.
 */
int cmrx_shutdown(int code);

/** Reset the whole system (every board, QEMU's included): cmrx_shutdown(CMRX_SHUTDOWN_REBOOT). */
int cmrx_reboot(void);

/** The last fault before the last reset, as the kernel kept it (docs/debugging.md). */
struct cmrx_crash_info {
    int32_t process; /**< the faulting process's index, -1 for a kernel panic */
    int32_t thread;  /**< its thread's id (-1 for a panic) */
    uint32_t pc, lr, addr;
    uint32_t flags; /**< CMRX_CRASH_* */
    uint32_t depth; /**< RPC levels the thread was in */
};
#define CMRX_CRASH_PC_VALID   0x01u /**< pc and lr are the faulting code's */
#define CMRX_CRASH_ADDR_VALID 0x02u /**< addr is the faulting access's */
#define CMRX_CRASH_IN_CALL    0x04u /**< it faulted serving an RPC call */

/**
 * The fault report the kernel kept across the last reset, and printed at
 * boot ("the last fault before this reset"): for a supervisor that logs
 * or sends it on. @p out must be memory of the calling process.
 * @return CMRX_OK; CMRX_ESRCH when the last run left none (or it was of
 *         another firmware); CMRX_EPERM for a process not declared SYSTEM;
 *         CMRX_EFAULT for a bad @p out.
 */
int cmrx_crash_record(struct cmrx_crash_info *out);

#endif
