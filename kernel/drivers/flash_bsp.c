/* Flash driver of a real board for the kernel: the BSP's own flash_hw.c
 * (bsp.yaml memory.flash.driver, implementing flash_hw.h), which the
 * board's storage process may run too. It is compiled here under kernel
 * names, so that both can be in one firmware. The kernel runs it with the
 * MPU off: the flash region is read-only at every privilege level, and the
 * controllers program by writes to flash addresses. Only handler-mode
 * (kernel) code can run meanwhile, and the kernel never relies on the MPU. */
#include <stddef.h>
#include <stdint.h>

#include <cmrx/errno.h>

#include "../arch/common/scs.h"
#include "bsp_config.h"

#define flash_hw_geometry cmrx_kernel_flash_geometry
#define flash_hw_erase    cmrx_kernel_flash_erase
#define flash_hw_program  cmrx_kernel_flash_program
#include CMRX_BSP_FLASH_HW_FILE

int32_t bsp_flash_erase(uintptr_t addr);
int32_t bsp_flash_program(uintptr_t addr, const void *src, size_t len);

int32_t bsp_flash_erase(uintptr_t addr)
{
    /* The unit the SDK laid the slots out in (bsp.yaml) must be the
     * driver's: else an erase would clear a neighbour. */
    if (flash_hw_geometry.erase_size != CMRX_BSP_FLASH_ERASE_SIZE) {
        return CMRX_EIO;
    }
    uint32_t ctrl = mpu_off();
    int rc = flash_hw_erase((uint32_t)addr);
    mpu_restore(ctrl);
    return rc == 0 ? CMRX_OK : CMRX_EIO;
}

int32_t bsp_flash_program(uintptr_t addr, const void *src, size_t len)
{
    uint32_t ctrl = mpu_off();
    int rc = flash_hw_program((uint32_t)addr, src, (uint32_t)(len / 4u));
    mpu_restore(ctrl);
    return rc == 0 ? CMRX_OK : CMRX_EIO;
}
