/* System control space registers of ARMv7-M and ARMv8-M Mainline that
 * ARMv6-M does not have: configurable fault handlers, their status, the
 * floating-point unit. From the ARMv7-M Architecture Reference Manual
 * (DDI 0403E, B3.2) and the ARMv8-M manual (DDI 0553B, D1.2), which keeps
 * these at the same addresses and adds bits the v7-M manual marks
 * reserved (they read as zero there). */
#ifndef CMRX_ARCH_MAINLINE_H
#define CMRX_ARCH_MAINLINE_H

#include "scs.h"

#define SCB_SHPR1 CMRX_REG32(0xE000ED18u) /* MemManage, BusFault, UsageFault, SecureFault */
#define SCB_SHCSR CMRX_REG32(0xE000ED24u)
#define SCB_CFSR  CMRX_REG32(0xE000ED28u)
#define SCB_HFSR  CMRX_REG32(0xE000ED2Cu)
#define SCB_MMFAR CMRX_REG32(0xE000ED34u)
#define SCB_BFAR  CMRX_REG32(0xE000ED38u)
#define SCB_CPACR CMRX_REG32(0xE000ED88u)

#define CCR_DIV_0_TRP (1u << 4)

#define SHCSR_SVCALLPENDED (1u << 15)
#define SHCSR_MEMFAULTENA  (1u << 16)
#define SHCSR_BUSFAULTENA  (1u << 17)
#define SHCSR_USGFAULTENA  (1u << 18)

/* Exception numbers of the configurable faults */
#define EXC_MEMMANAGE 4u
#define EXC_BUSFAULT  5u
#define EXC_USAGE     6u

/* Configurable fault status: MemManage [7:0], BusFault [15:8],
 * UsageFault [31:16]. */
#define CFSR_IACCVIOL    (1u << 0)
#define CFSR_DACCVIOL    (1u << 1)
#define CFSR_MUNSTKERR   (1u << 3)
#define CFSR_MSTKERR     (1u << 4)
#define CFSR_MLSPERR     (1u << 5)
#define CFSR_MMARVALID   (1u << 7)
#define CFSR_IBUSERR     (1u << 8)
#define CFSR_PRECISERR   (1u << 9)
#define CFSR_IMPRECISERR (1u << 10)
#define CFSR_UNSTKERR    (1u << 11)
#define CFSR_STKERR      (1u << 12)
#define CFSR_LSPERR      (1u << 13)
#define CFSR_BFARVALID   (1u << 15)
#define CFSR_UNDEFINSTR  (1u << 16)
#define CFSR_INVSTATE    (1u << 17)
#define CFSR_INVPC       (1u << 18)
#define CFSR_NOCP        (1u << 19)
#define CFSR_STKOF       (1u << 20) /* ARMv8-M: stack limit violation */
#define CFSR_UNALIGNED   (1u << 24)
#define CFSR_DIVBYZERO   (1u << 25)

#define HFSR_VECTTBL  (1u << 1)
#define HFSR_FORCED   (1u << 30)
#define HFSR_DEBUGEVT (1u << 31)

/* Floating-point extension */
#define FPU_FPCCR    CMRX_REG32(0xE000EF34u)
#define FPCCR_ASPEN  (1u << 31)
#define FPCCR_LSPEN  (1u << 30)
#define FPCCR_LSPACT (1u << 0)

#endif
