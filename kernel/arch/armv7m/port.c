/* ARMv7-M port: exception set-up and the MPU. The rest is shared with the
 * other Cortex-M ports (kernel/arch/common). */
#include "../common/pmsav7.h"
#include "kernel.h"
#include "regs.h"

void port_init(void)
{
    uint32_t regions = cortexm_mpu_regions("the armv7m port needs 8 regions");

    /* MemManage, BusFault, UsageFault; SVCall; PendSV, SysTick */
    SCB_SHPR1 = CMRX_KERNEL_PRIORITY | (CMRX_KERNEL_PRIORITY << 8) | (CMRX_KERNEL_PRIORITY << 16);
    SCB_SHPR2 = SHPR2_SVCALL(CMRX_KERNEL_PRIORITY);
    SCB_SHPR3 = SHPR3_PENDSV_TICK(CMRX_KERNEL_PRIORITY);
    SCB_SHCSR |= SHCSR_MEMFAULTENA | SHCSR_BUSFAULTENA | SHCSR_USGFAULTENA;
    SCB_CCR |= CCR_DIV_0_TRP; /* divide by zero faults instead of yielding 0 */

    pmsav7_init(regions);
    cortexm_tick_init();
    /* The tick is switched on by the first context switch (context.S). */
}
