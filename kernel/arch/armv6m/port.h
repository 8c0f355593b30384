/* ARMv6-M port (Cortex-M0+ with its optional 8-region MPU): what the
 * portable kernel sees. Also read by context.S: the C part is hidden from
 * the assembler. */
#ifndef CMRX_PORT_H
#define CMRX_PORT_H

#include "bsp_config.h"

#define CMRX_PORT_CONFIGURABLE_FAULTS 0 /* every fault is a HardFault */
#define CMRX_PORT_SECUREFAULT         0

#include "../common/pmsav7_regions.h"
/* ARMv6-M has no RBAR/RASR aliases: the image is written pair by pair
 * (context.S). */

#include "../common/cortexm_port.h"
#ifndef __ASSEMBLER__
#include "../common/atomic_primask.h"
#endif

#endif
