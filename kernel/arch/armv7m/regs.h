/* ARMv7-M system control space registers used by the port: the ones all
 * Cortex-M profiles share (common/scs.h) and the Mainline fault and FPU
 * registers (common/mainline.h). The MPU is PMSAv7 (common/pmsav7.c). */
#ifndef CMRX_ARMV7M_REGS_H
#define CMRX_ARMV7M_REGS_H

#include "../common/mainline.h"

#endif
