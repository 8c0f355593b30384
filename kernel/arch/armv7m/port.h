/* ARMv7-M port (Cortex-M3, M4, M4F, M7): what the portable kernel sees.
 * Also read by context.S: the C part is hidden from the assembler. */
#ifndef CMRX_PORT_H
#define CMRX_PORT_H

#include "bsp_config.h"

#define CMRX_PORT_CONFIGURABLE_FAULTS 1 /* MemManage, BusFault, UsageFault */
#define CMRX_PORT_SECUREFAULT         0

/* The MPU regions (PMSAv7) and a process's MPU image: (RBAR, RASR) for
 * regions 2..5, written with one STM to RBAR, RASR and their aliases A1..A3 (context.S). */
#include "../common/mpu_encode.h"
#define CMRX_PORT_PROCESS_MPU_WORDS 8

#include "../common/cortexm_port.h"
#ifndef __ASSEMBLER__
#include "../common/atomic_builtin.h"
#endif

#endif
