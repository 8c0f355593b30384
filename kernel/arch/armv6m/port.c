/* ARMv6-M port: exception set-up. The MPU is PMSAv6, programmed as PMSAv7
 * (common/pmsav7.h); the rest is shared with the other Cortex-M ports. */
#include "../common/pmsav7.h"
#include "../common/scs.h"
#include "kernel.h"

void port_init(void)
{
#if defined(CMRX_TEST_WITHOUT_MPU)
    /* Test builds for QEMU's Cortex-M0, the one emulated ARMv6-M core,
     * which has no MPU. Never in firmware: nothing is isolated. */
    uint32_t regions = MPU_TYPE_DREGION(MPU_TYPE);
    if (regions == 0) {
        kprintf("TEST BUILD WITHOUT MPU: processes are not isolated\n");
    }
#else
    uint32_t regions = cortexm_mpu_regions("the armv6m port needs 8 regions");
#endif

    /* SVCall; PendSV, SysTick. HardFault has a fixed priority; there are
     * no other faults to enable, and no divide instruction to trap. */
    SCB_SHPR2 = SHPR2_SVCALL(CMRX_KERNEL_PRIORITY);
    SCB_SHPR3 = SHPR3_PENDSV_TICK(CMRX_KERNEL_PRIORITY);

    if (regions != 0) {
        pmsav7_init(regions);
    }
    cortexm_tick_init();
    /* The tick is switched on by the first context switch (context.S). */
}
