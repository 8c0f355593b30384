/* ARMv7-M system control space registers used by the port.
 * Written from the ARMv7-M Architecture Reference Manual (DDI 0403),
 * chapter B3: System Address Map. Only what the port uses. */
#ifndef CMRX_ARMV7M_REGS_H
#define CMRX_ARMV7M_REGS_H

#include <stdint.h>

#define CMRX_REG32(addr) (*(volatile uint32_t *)(addr))
#define CMRX_REG8(addr)  (*(volatile uint8_t *)(addr))

/* System control block (B3.2.2) */
#define SCB_ICSR      CMRX_REG32(0xE000ED04u)
#define SCB_VTOR      CMRX_REG32(0xE000ED08u)
#define SCB_AIRCR     CMRX_REG32(0xE000ED0Cu)
#define SCB_CCR       CMRX_REG32(0xE000ED14u)
#define SCB_SHPR(exc) CMRX_REG8(0xE000ED18u + (uint32_t)(exc)-4u) /* exceptions 4..15 */
#define SCB_SHCSR     CMRX_REG32(0xE000ED24u)
#define SCB_CFSR      CMRX_REG32(0xE000ED28u)
#define SCB_HFSR      CMRX_REG32(0xE000ED2Cu)
#define SCB_MMFAR     CMRX_REG32(0xE000ED34u)
#define SCB_BFAR      CMRX_REG32(0xE000ED38u)
#define SCB_CPACR     CMRX_REG32(0xE000ED88u)

#define ICSR_PENDSVSET (1u << 28)
#define ICSR_PENDSTSET (1u << 26)

#define AIRCR_VECTKEY     (0x05FAu << 16)
#define AIRCR_SYSRESETREQ (1u << 2)

#define CCR_DIV_0_TRP (1u << 4)

#define SHCSR_MEMFAULTENA  (1u << 16)
#define SHCSR_BUSFAULTENA  (1u << 17)
#define SHCSR_USGFAULTENA  (1u << 18)
#define SHCSR_SVCALLPENDED (1u << 15)

/* Configurable fault status (B3.2.15): MemManage [7:0], BusFault [15:8],
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
#define CFSR_UNALIGNED   (1u << 24)
#define CFSR_DIVBYZERO   (1u << 25)

#define HFSR_VECTTBL  (1u << 1)
#define HFSR_FORCED   (1u << 30)
#define HFSR_DEBUGEVT (1u << 31)

/* Exception numbers (B1.5.2) */
#define EXC_MEMMANAGE 4u
#define EXC_BUSFAULT  5u
#define EXC_USAGE     6u
#define EXC_SVCALL    11u
#define EXC_PENDSV    14u
#define EXC_SYSTICK   15u

/* SysTick (B3.3) */
#define SYST_CSR CMRX_REG32(0xE000E010u)
#define SYST_RVR CMRX_REG32(0xE000E014u)
#define SYST_CVR CMRX_REG32(0xE000E018u)

#define SYST_CSR_ENABLE    (1u << 0)
#define SYST_CSR_TICKINT   (1u << 1)
#define SYST_CSR_CLKSOURCE (1u << 2)

/* NVIC (B3.4) */
#define NVIC_ISER(n) CMRX_REG32(0xE000E100u + 4u * (uint32_t)(n))
#define NVIC_ICER(n) CMRX_REG32(0xE000E180u + 4u * (uint32_t)(n))
#define NVIC_ICPR(n) CMRX_REG32(0xE000E280u + 4u * (uint32_t)(n))

/* MPU (B3.5) */
#define MPU_TYPE CMRX_REG32(0xE000ED90u)
#define MPU_CTRL CMRX_REG32(0xE000ED94u)
#define MPU_RBAR CMRX_REG32(0xE000ED9Cu)
#define MPU_RASR CMRX_REG32(0xE000EDA0u)

#define MPU_CTRL_ENABLE     (1u << 0)
#define MPU_CTRL_PRIVDEFENA (1u << 2)
#define MPU_RBAR_VALID      (1u << 4)

/* Floating point extension (B3.2.20, B1.5.7) */
#define FPU_FPCCR    CMRX_REG32(0xE000EF34u)
#define FPCCR_ASPEN  (1u << 31)
#define FPCCR_LSPEN  (1u << 30)
#define FPCCR_LSPACT (1u << 0)

#endif
