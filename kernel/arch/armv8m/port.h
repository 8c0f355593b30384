/* ARMv8-M Mainline port (Cortex-M33, with or without FPU), running in the
 * Secure state: what the portable kernel sees. Also read by context.S:
 * the C part is hidden from the assembler. */
#ifndef CMRX_PORT_H
#define CMRX_PORT_H

#include "bsp_config.h"

#define CMRX_PORT_CONFIGURABLE_FAULTS 1 /* MemManage, BusFault, UsageFault */
#define CMRX_PORT_SECUREFAULT         1

/* MPU regions (PMSAv8: base and limit at 32-byte granularity; regions must
 * not overlap, an access that hits two of them faults):
 *  0 flash past the null guard (everyone reads and executes)  static
 *  1 unused: the null guard is the part no region covers
 *  2 thread stack                                             per thread
 *  3 caller's .shared during an RPC                           per thread
 *  4 process .data/.bss                                       per process
 *  5 process .shared                                          per process
 *  6 process MMIO range 0                                     per process
 *  7 process MMIO range 1                                     per process
 * Regions 4..7 are one group of the RBAR/RLAR alias registers (RNR = 4),
 * regions 2 and 3 the upper half of the group at RNR = 0. */
#define CMRX_MPU_REGION_STACK 2u
#define CMRX_MPU_REGION_RPC   3u

/* A process's MPU image: (RBAR, RLAR) for regions 4..7, written with one
 * STM to RBAR and its three aliases. */
#define CMRX_PORT_PROCESS_MPU_WORDS 8

#include "../common/cortexm_port.h"
#ifndef __ASSEMBLER__
#include "../common/atomic_builtin.h"
#endif

#endif
