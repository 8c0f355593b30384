/* ARMv8-M Mainline port (Cortex-M33, with or without FPU), running in the
 * Secure state: what the portable kernel sees. Also read by context.S:
 * the C part is hidden from the assembler. */
#ifndef CMRX_PORT_H
#define CMRX_PORT_H

#include "bsp_config.h"

#define CMRX_PORT_CONFIGURABLE_FAULTS 1 /* MemManage, BusFault, UsageFault */
#define CMRX_PORT_SECUREFAULT         1

/* The MPU regions (PMSAv8) and a process's MPU image: (RBAR, RLAR) for
 * regions 4..7, written with one STM to RBAR and its three aliases. */
#include "../common/mpu_encode.h"
#define CMRX_PORT_PROCESS_MPU_WORDS 8

#include "../common/cortexm_port.h"
#ifndef __ASSEMBLER__
#include "../common/atomic_builtin.h"
#endif

#endif
