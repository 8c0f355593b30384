/* ARMv7-M port (Cortex-M3, M4, M4F, M7): what the portable kernel sees.
 * Also read by context.S: the C part is hidden from the assembler. */
#ifndef CMRX_PORT_H
#define CMRX_PORT_H

#include "bsp_config.h"

#define CMRX_PORT_CONFIGURABLE_FAULTS 1 /* MemManage, BusFault, UsageFault */
#define CMRX_PORT_SECUREFAULT         0

#include "../common/pmsav7_regions.h"
/* The process image goes to RBAR, RASR and their aliases A1..A3 with one
 * STM (context.S). */

#include "../common/cortexm_port.h"
#ifndef __ASSEMBLER__
#include "../common/atomic_builtin.h"
#endif

#endif
