/* Helpers the Cortex-M ports share for their port_init(), inline: each
 * runs once, from one place. */
#ifndef CMRX_ARCH_CORTEXM_H
#define CMRX_ARCH_CORTEXM_H

#include <stdint.h>

#include "bsp_config.h"
#include "kernel.h"
#include "scs.h"

/** Priority of every kernel exception: the lowest, so none preempts another. */
#define CMRX_KERNEL_PRIORITY 0xFFu

/* Static MPU regions (flash, null guard), computed by the SDK at build time. */
extern const uint32_t cmrx_mpu_static[4];

/** Program SysTick for the kernel tick from the board's clock, stopped: the
 *  first context switch starts it. */
static inline void cortexm_tick_init(void)
{
    SYST_CSR = 0;
    SYST_RVR = CMRX_BSP_CLOCK_HZ / (1000000u / CMRX_TICK_US) - 1u;
    SYST_CVR = 0;
}

/** The number of MPU regions, or a kernel panic naming @p port when the
 *  MPU has fewer than the 8 the kernel needs. */
static inline uint32_t cortexm_mpu_regions(const char *port)
{
    uint32_t regions = MPU_TYPE_DREGION(MPU_TYPE);
    if (regions < 8u) {
        cmrx_panic("MPU", port, 0, regions);
    }
    return regions;
}

#endif
