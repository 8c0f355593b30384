/* Kernel latency bounds under load: a driver process (bound_drv.c) samples
 * how long its interrupt takes to reach its thread while one hostile
 * process drives one long kernel path as hard as it can. */
#ifndef CMRX_BOUNDS_H
#define CMRX_BOUNDS_H

#include <cmrx/cmrx.h>

/* How long the hostile process runs before the driver judges (ms; the
 * build may set it shorter where the load slows QEMU down). */
#ifndef BOUND_TIME_MS
#define BOUND_TIME_MS 200u
#endif

#endif
