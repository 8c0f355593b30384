/* ARMv8-M port: exception set-up and the PMSAv8 MPU. The rest is shared
 * with the other Cortex-M ports (kernel/arch/common). */
#include "../common/cortexm.h"
#include "kernel.h"
#include "regs.h"

/* Bottom of the kernel's main stack, from the linker script. */
extern uint8_t __cmrx_msp_bottom[];

/* Region 3 off: RBAR and RLAR zero (RLAR.EN clear). */
const uint32_t cmrx_port_rpc_off[2] = {0, 0};

void port_init(void)
{
    uint32_t regions = cortexm_mpu_regions("the armv8m port needs 8 regions");

    /* MemManage, BusFault, UsageFault, SecureFault; SVCall; PendSV, SysTick */
    SCB_SHPR1 = CMRX_KERNEL_PRIORITY * 0x01010101u;
    SCB_SHPR2 = SHPR2_SVCALL(CMRX_KERNEL_PRIORITY);
    SCB_SHPR3 = SHPR3_PENDSV_TICK(CMRX_KERNEL_PRIORITY);
    SCB_SHCSR |= SHCSR_MEMFAULTENA | SHCSR_BUSFAULTENA | SHCSR_USGFAULTENA | SHCSR_SECUREFAULTENA;
    SCB_CCR |= CCR_DIV_0_TRP; /* divide by zero faults instead of yielding 0 */

    MPU_CTRL = 0;
    MPU_MAIR0 = PMSAV8_MAIR0;
    for (uint32_t r = 0; r < regions; r++) {
        MPU_RNR = r;
        MPU_RLAR = 0;
    }
    /* Regions 0 and 1: flash, and the unused guard slot (disabled). */
    MPU_RNR = 0;
    MPU_RBAR = cmrx_mpu_static[0];
    MPU_RLAR = cmrx_mpu_static[1];
    MPU_RBAR_A1 = cmrx_mpu_static[2];
    MPU_RLAR_A1 = cmrx_mpu_static[3];
    /* Privileged code keeps the default map where no region matches;
     * unprivileged code sees only what the regions grant. */
    MPU_CTRL = MPU_CTRL_ENABLE | MPU_CTRL_PRIVDEFENA;
    __asm volatile("dsb\n\tisb" ::: "memory");

    /* The kernel's own stack: going below its bottom is a stack limit
     * fault (a kernel panic) instead of a silent overwrite of kernel data. */
    __asm volatile("msr msplim, %0" : : "r"(__cmrx_msp_bottom) : "memory");

    cortexm_tick_init();
    /* The tick is switched on by the first context switch (context.S). */
}
