/* ARMv7-M port (Cortex-M3, M4, M4F, M7): what the portable kernel sees.
 * Also read by context.S: the C part is hidden from the assembler. */
#ifndef CMRX_PORT_H
#define CMRX_PORT_H

#include "bsp_config.h"

#define CMRX_PORT_CONFIGURABLE_FAULTS 1 /* MemManage, BusFault, UsageFault */
#define CMRX_PORT_SECUREFAULT         0

/* MPU regions, ordered by number (a higher number wins where regions overlap):
 *  0 flash (everyone reads and executes)     static
 *  1 null guard: privileged-only first bytes static, when flash starts at 0
 *  2 process .data/.bss                      per process
 *  3 process .shared                         per process
 *  4 process MMIO range 0                    per process
 *  5 process MMIO range 1                    per process
 *  6 thread stack                            per thread
 *  7 caller's .shared during an RPC          per RPC call
 */
#define CMRX_MPU_REGION_STACK 6u
#define CMRX_MPU_REGION_RPC   7u

/* A process's MPU image: (RBAR, RASR) for regions 2..5, written with one STM
 * to RBAR and its three aliases. */
#define CMRX_PORT_PROCESS_MPU_WORDS 8

#include "../common/port_api.h"
#ifndef __ASSEMBLER__
#include "../common/atomic_builtin.h"
#endif

#endif
