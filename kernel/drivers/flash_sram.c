/* Flash driver "sram" (bsp.yaml memory.flash.driver): the board's flash is
 * RAM, as QEMU's MPS2 models make their ZBT SSRAM1. It behaves as NOR
 * flash does, so that what runs here runs on a real board: erasing sets a
 * unit (bsp.yaml memory.flash.erase_size) to 0xFF, programming can only
 * clear bits (a word programmed twice without an erase holds the AND of
 * both). The only obstacle is the MPU's flash region, read-only at every
 * privilege level, so the writes run with the MPU off. Only handler-mode
 * (kernel) code can run meanwhile, and the kernel never relies on the MPU. */
#include <stddef.h>
#include <stdint.h>

#include <cmrx/errno.h>

#include "../arch/common/scs.h"
#include "bsp_config.h"

int32_t bsp_flash_erase(uintptr_t addr);
int32_t bsp_flash_program(uintptr_t addr, const void *src, size_t len);

int32_t bsp_flash_erase(uintptr_t addr)
{
    volatile uint32_t *w =
        (volatile uint32_t *)(addr & ~(uintptr_t)(CMRX_BSP_FLASH_ERASE_SIZE - 1u));
    uint32_t ctrl = mpu_off();
    for (uint32_t i = 0; i < CMRX_BSP_FLASH_ERASE_SIZE / 4u; i++) {
        w[i] = 0xFFFFFFFFu;
    }
    mpu_restore(ctrl);
    return CMRX_OK;
}

int32_t bsp_flash_program(uintptr_t addr, const void *src, size_t len)
{
    volatile uint32_t *w = (volatile uint32_t *)addr;
    const uint32_t *s = src; /* word-aligned: the kernel's buffers are */
    uint32_t ctrl = mpu_off();
    for (size_t i = 0; i < len / 4u; i++) {
        w[i] &= s[i];
    }
    mpu_restore(ctrl);
    return CMRX_OK;
}
