/* Whole-system control. */
#ifndef CMRX_SYSTEM_H
#define CMRX_SYSTEM_H

/**
 * Stop the system with @p code: on an emulated board QEMU exits with that
 * code, on a real board the MCU resets. Only processes declared SYSTEM may
 * do this; for others the call returns CMRX_EPERM.
 */
int cmrx_shutdown(int code);

#endif
