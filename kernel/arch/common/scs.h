/* System control space registers that ARMv6-M, ARMv7-M and ARMv8-M define
 * at the same address with the same meaning, as far as the ports use them.
 * Written from the ARMv7-M Architecture Reference Manual (DDI 0403E,
 * B3.2-B3.5) and checked against the ARMv6-M (DDI 0419E, B3.2-B3.5) and
 * ARMv8-M (DDI 0553B, D1.2) manuals. What only some of them have is in
 * common/mainline.h (ARMv7-M and ARMv8-M Mainline) or the port's regs.h.
 *
 * ARMv6-M allows only word accesses to these registers, so every one of
 * them is accessed as a word here, also by the other ports. */
#ifndef CMRX_ARCH_SCS_H
#define CMRX_ARCH_SCS_H

#include <stdint.h>

#define CMRX_REG32(addr) (*(volatile uint32_t *)(addr))

/* System control block */
#define SCB_ICSR  CMRX_REG32(0xE000ED04u)
#define SCB_VTOR  CMRX_REG32(0xE000ED08u)
#define SCB_AIRCR CMRX_REG32(0xE000ED0Cu)
#define SCB_CCR   CMRX_REG32(0xE000ED14u)
#define SCB_SHPR2 CMRX_REG32(0xE000ED1Cu) /* [31:24] SVCall */
#define SCB_SHPR3 CMRX_REG32(0xE000ED20u) /* [23:16] PendSV, [31:24] SysTick */

#define ICSR_PENDSVSET       (1u << 28)
#define ICSR_PENDSTSET       (1u << 26)
#define ICSR_VECTPENDING(v)  (((v) >> 12) & 0x1FFu) /* [17:12] on ARMv6-M, [20:12] else */
#define SHPR2_SVCALL(p)      ((uint32_t)(p) << 24)
#define SHPR3_PENDSV_TICK(p) (((uint32_t)(p) << 16) | ((uint32_t)(p) << 24))

#define AIRCR_VECTKEY     (0x05FAu << 16)
#define AIRCR_SYSRESETREQ (1u << 2)

/* Exception numbers */
#define EXC_HARDFAULT 3u
#define EXC_SVCALL    11u
#define EXC_PENDSV    14u
#define EXC_SYSTICK   15u

/* SysTick */
#define SYST_CSR CMRX_REG32(0xE000E010u)
#define SYST_RVR CMRX_REG32(0xE000E014u)
#define SYST_CVR CMRX_REG32(0xE000E018u)

/* NVIC */
#define NVIC_ISER(n) CMRX_REG32(0xE000E100u + 4u * (uint32_t)(n))
#define NVIC_ICER(n) CMRX_REG32(0xE000E180u + 4u * (uint32_t)(n))
#define NVIC_ICPR(n) CMRX_REG32(0xE000E280u + 4u * (uint32_t)(n))

/* MPU: the registers both MPU kinds share. Region attributes sit at
 * 0xE000EDA0 (RASR on PMSAv6/v7, RLAR on PMSAv8): see the port. */
#define MPU_TYPE CMRX_REG32(0xE000ED90u)
#define MPU_CTRL CMRX_REG32(0xE000ED94u)
#define MPU_RNR  CMRX_REG32(0xE000ED98u)
#define MPU_RBAR CMRX_REG32(0xE000ED9Cu)

#define MPU_TYPE_DREGION(t) (((t) >> 8) & 0xFFu)
#define MPU_CTRL_ENABLE     (1u << 0)
#define MPU_CTRL_PRIVDEFENA (1u << 2)

/* The MPU off, for the kernel's flash drivers (flash is read-only in every
 * map): returns the MPU_CTRL that mpu_restore() puts back. */
static inline uint32_t mpu_off(void)
{
    uint32_t ctrl = MPU_CTRL;
    MPU_CTRL = 0;
    __asm volatile("dsb\n\tisb" ::: "memory");
    return ctrl;
}

static inline void mpu_restore(uint32_t ctrl)
{
    __asm volatile("dsb" ::: "memory");
    MPU_CTRL = ctrl;
    __asm volatile("dsb\n\tisb" ::: "memory");
}

#endif
