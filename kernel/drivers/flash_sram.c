/* Flash driver "sram" (bsp.yaml memory.flash.driver): the board's flash is
 * RAM, as QEMU's MPS2 models make their ZBT SSRAM1. A write is a copy; the
 * only obstacle is the MPU's flash region, read-only at every privilege
 * level, so the copy runs with the MPU off. Only handler-mode (kernel)
 * code can run meanwhile, and the kernel never relies on the MPU. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmrx/errno.h>

#include "../arch/common/scs.h"

int32_t bsp_flash_write(uintptr_t addr, const void *src, size_t len);

int32_t bsp_flash_write(uintptr_t addr, const void *src, size_t len)
{
    uint32_t ctrl = MPU_CTRL;
    MPU_CTRL = 0;
    __asm volatile("dsb\n\tisb" ::: "memory");
    memcpy((void *)addr, src, len);
    __asm volatile("dsb" ::: "memory");
    MPU_CTRL = ctrl;
    __asm volatile("dsb\n\tisb" ::: "memory");
    return CMRX_OK;
}
