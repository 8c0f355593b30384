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
#define CMRX_EINTR     -11 /**< A blocking call was interrupted by a signal. */
#define CMRX_EBADIMAGE  -12 /**< A process image is corrupt or not for this process/board. */
#define CMRX_EINTERFACE -13 /**< A process image drops what its clients use. */
#define CMRX_EVERSION   -14 /**< A process image is not newer than the running one. */
#define CMRX_EIO        -15 /**< The flash controller reported an error. */
#define CMRX_EOWNERDEAD -16 /**< A service mutex was taken over from a holder stopped mid-call. */

/* RPC errors. They sit in their own range so that a method's own return
 * values can stay clear of them: methods should not return -100..-199. */
#define CMRX_ERPC_FORGED  -100 /**< The service pointer is no object its process declared. */
#define CMRX_ERPC_FOREIGN -101 /**< The object's vtable belongs to another process. */
#define CMRX_ERPC_VTABLE  -102 /**< The object's vtable is not one its process declared. */
#define CMRX_ERPC_METHOD  -103 /**< The method index is beyond the interface. */
#define CMRX_ERPC_DEPTH   -104 /**< Too many nested calls on this thread. */
#define CMRX_ERPC_STACK   -105 /**< Not enough stack left on this thread for the callee. */
#define CMRX_ERPC_FAULT   -106 /**< The callee faulted; the call was abandoned. */
/** The callee's process is dead: killed, or waiting out a restart back-off
 * (a call to one that is restarting waits until it is up). */
#define CMRX_ERPC_DEAD    -107
#define CMRX_ERPC_ABORTED -108 /**< The callee ended the call with cmrx_thread_exit(). */
/** Between the kernel and the library only: the callee was restarting and
 * the caller waited until it is up (or gone); the library calls again.
 * cmrx_rpc_call() never returns it. */
#define CMRX_ERPC_RETRY -109

#endif
