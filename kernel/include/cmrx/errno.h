/* CMRX error codes.
 *
 * Every CMRX call that can fail returns a negative value from this list;
 * zero or a positive value means success. The values are stable ABI.
 */
#ifndef CMRX_ERRNO_H
#define CMRX_ERRNO_H

#define CMRX_OK        0   /**< Success. */
#define CMRX_EINVAL    -1  /**< An argument is out of range (priority, size, flag). */
#define CMRX_ESRCH     -2  /**< No such thread (or not one of the caller's process). */
#define CMRX_EAGAIN    -3  /**< All thread slots of the caller's process are in use. */
#define CMRX_EDEADLK   -4  /**< The join would wait forever (self or a join cycle). */
#define CMRX_EBUSY     -5  /**< Another thread is already joining that thread. */
#define CMRX_EFAULT    -6  /**< A pointer argument is not accessible to the caller. */
#define CMRX_ENOSYS    -7  /**< Unknown system call number. */
#define CMRX_EPERM     -8  /**< The caller's process lacks the permission. */
#define CMRX_ETIMEDOUT -9  /**< A wait ended because its timeout expired. */
#define CMRX_EKILLED   -10 /**< Exit code of a thread the kernel killed after a fault. */

#endif
