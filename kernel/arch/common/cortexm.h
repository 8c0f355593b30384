/* Helpers the Cortex-M ports share for their port_init(). */
#ifndef CMRX_ARCH_CORTEXM_H
#define CMRX_ARCH_CORTEXM_H

#include <stdint.h>

/** Priority of every kernel exception: the lowest, so none preempts another. */
#define CMRX_KERNEL_PRIORITY 0xFFu

/* Static MPU regions (flash, null guard), computed by the SDK at build time. */
extern const uint32_t cmrx_mpu_static[4];

/** Program SysTick for the kernel tick from the board's clock, stopped: the
 *  first context switch starts it. */
void cortexm_tick_init(void);

/** The number of MPU regions, or a kernel panic naming @p port when the
 *  MPU has fewer than the 8 the kernel needs. */
uint32_t cortexm_mpu_regions(const char *port);

/** PMSAv6/PMSAv7 (ARMv6-M, ARMv7-M): clear all @p regions, program the
 *  static ones and enable the MPU for unprivileged code. */
void pmsav7_init(uint32_t regions);

#endif
