/* The PMSAv6/PMSAv7 MPU (ARMv6-M, ARMv7-M): a region is RBAR (base, VALID,
 * region number) and RASR (size, subregions, access), both written through
 * RBAR's VALID/REGION fields without touching RNR. */
#ifndef CMRX_ARCH_PMSAV7_H
#define CMRX_ARCH_PMSAV7_H

#include "cortexm.h"
#include "mpu_encode.h"

#define MPU_RASR       CMRX_REG32(0xE000EDA0u)

/** Clear all @p regions, program the static ones and enable the MPU for
 *  unprivileged code. */
static inline void pmsav7_init(uint32_t regions)
{
    MPU_CTRL = 0;
    for (uint32_t r = 0; r < regions; r++) {
        MPU_RBAR = pmsav7_rbar(0, r);
        MPU_RASR = 0;
    }
    MPU_RBAR = cmrx_mpu_static[0];
    MPU_RASR = cmrx_mpu_static[1];
    MPU_RBAR = cmrx_mpu_static[2];
    MPU_RASR = cmrx_mpu_static[3];
    /* Privileged code keeps the default map; unprivileged code sees only
     * what the regions grant. */
    MPU_CTRL = MPU_CTRL_ENABLE | MPU_CTRL_PRIVDEFENA;
    __asm volatile("dsb\n\tisb" ::: "memory");
}

#endif
