/* MPU regions of the PMSAv6/PMSAv7 ports (ARMv6-M, ARMv7-M), ordered by
 * number (a higher number wins where regions overlap):
 *  0 flash (everyone reads and executes)     static
 *  1 null guard: privileged-only first bytes static, when flash starts at 0
 *  2 process .data/.bss                      per process
 *  3 process .shared                         per process
 *  4 process MMIO range 0                    per process
 *  5 process MMIO range 1                    per process
 *  6 thread stack                            per thread
 *  7 caller's .shared during an RPC          per RPC call
 * A process's MPU image is (RBAR, RASR) for regions 2..5; each RBAR value
 * carries VALID and its region number. */
#ifndef CMRX_ARCH_PMSAV7_REGIONS_H
#define CMRX_ARCH_PMSAV7_REGIONS_H

#define CMRX_MPU_REGION_STACK       6u
#define CMRX_MPU_REGION_RPC         7u
#define CMRX_PORT_PROCESS_MPU_WORDS 8

#endif
