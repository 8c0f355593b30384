/* ARMv8-M system control space registers used by the port: the ones all
 * Cortex-M profiles share (common/scs.h), the Mainline fault and FPU ones
 * (common/mainline.h), and what ARMv8-M adds: the PMSAv8 MPU and the
 * SecureFault status. From the ARMv8-M Architecture Reference Manual
 * (DDI 0553B): D1.2.101-D1.2.108 (MPU), D1.2.187-D1.2.188 (SFSR, SFAR).
 * Seen from the Secure state these are the Secure instances. */
#ifndef CMRX_ARMV8M_REGS_H
#define CMRX_ARMV8M_REGS_H

#include "../common/mainline.h"

#define SHCSR_SECUREFAULTENA (1u << 19)

/* MPU (PMSAv8): RBAR/RLAR of region RNR, and aliases A1..A3 of regions
 * (RNR & ~3) + 1..3. */
#define MPU_RLAR    CMRX_REG32(0xE000EDA0u)
#define MPU_RBAR_A1 CMRX_REG32(0xE000EDA4u)
#define MPU_RLAR_A1 CMRX_REG32(0xE000EDA8u)
#define MPU_MAIR0   CMRX_REG32(0xE000EDC0u)

/* SecureFault status and address */
#define SCB_SFSR CMRX_REG32(0xE000EDE4u)
#define SCB_SFAR CMRX_REG32(0xE000EDE8u)

#define SFSR_INVEP     (1u << 0)
#define SFSR_INVIS     (1u << 1)
#define SFSR_INVER     (1u << 2)
#define SFSR_AUVIOL    (1u << 3)
#define SFSR_INVTRAN   (1u << 4)
#define SFSR_LSPERR    (1u << 5)
#define SFSR_SFARVALID (1u << 6)
#define SFSR_LSERR     (1u << 7)

#endif
