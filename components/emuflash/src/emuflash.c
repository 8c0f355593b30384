/* emuflash: the flash driver (flash_hw.h) of the emulated boards' storage.
 *
 * The memory is plain RAM to QEMU; this driver and the block-device
 * service over it (components/blockdev/src/flash_service.c) make it NOR
 * flash: erase sets a block to 0xFF, programming only clears bits. Stores
 * go word by word, so QEMU stopped in the middle of a page leaves it
 * half-programmed, as a power cut leaves real flash. */
#include <stdint.h>

#include "flash_hw.h"

const struct flash_hw_geometry flash_hw_geometry = {EMUFLASH_BLOCK, EMUFLASH_PAGE};

int flash_hw_erase(uint32_t addr)
{
    volatile uint32_t *dst = (volatile uint32_t *)(uintptr_t)addr;
    for (uint32_t i = 0; i < EMUFLASH_BLOCK / 4u; i++) {
        dst[i] = 0xffffffffu;
    }
    return 0;
}

int flash_hw_program(uint32_t addr, const uint32_t *words, uint32_t n_words)
{
    volatile uint32_t *dst = (volatile uint32_t *)(uintptr_t)addr;
    for (uint32_t i = 0; i < n_words; i++) {
        dst[i] &= words[i];
    }
    return 0;
}
