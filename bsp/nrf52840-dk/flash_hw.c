/* Flash driver (flash_hw.h) of the nRF52840's flash through its NVMC, for
 * the block-device service and the updater. From the nRF52840 Product
 * Specification v1.1, 4.3 (NVMC): 4 KiB pages; a 32-bit word is written
 * with CONFIG.WEN = Wen, a page erased with CONFIG.WEN = Een and its
 * address in ERASEPAGE; READY says when it is done (the CPU stalls on
 * flash fetches meanwhile). Runs unprivileged, with the NVMC's registers
 * and the storage range (bsp.yaml) granted. */
#include <stdint.h>

#include "flash_hw.h"

#define NVMC_BASE      0x4001E000u
#define NVMC_READY     (*(volatile uint32_t *)(NVMC_BASE + 0x400u))
#define NVMC_CONFIG    (*(volatile uint32_t *)(NVMC_BASE + 0x504u))
#define NVMC_ERASEPAGE (*(volatile uint32_t *)(NVMC_BASE + 0x508u))

#define CONFIG_REN 0u
#define CONFIG_WEN 1u
#define CONFIG_EEN 2u

const struct flash_hw_geometry flash_hw_geometry = {4096u, 4u};

static void wait_ready(void)
{
    while ((NVMC_READY & 1u) == 0) {
    }
}

int flash_hw_erase(uint32_t addr)
{
    wait_ready();
    NVMC_CONFIG = CONFIG_EEN;
    NVMC_ERASEPAGE = addr;
    wait_ready();
    NVMC_CONFIG = CONFIG_REN;
    return 0;
}

int flash_hw_program(uint32_t addr, const uint32_t *words, uint32_t n_words)
{
    wait_ready();
    NVMC_CONFIG = CONFIG_WEN;
    for (uint32_t i = 0; i < n_words; i++) {
        ((volatile uint32_t *)(uintptr_t)addr)[i] = words[i];
        wait_ready();
    }
    NVMC_CONFIG = CONFIG_REN;
    return 0;
}
