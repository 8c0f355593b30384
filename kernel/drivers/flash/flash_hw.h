/* flash_hw: what a board's flash driver does. One driver per flash: a real
 * board's in its BSP (bsp.yaml `storage.driver`, `memory.flash.driver`),
 * the emulated boards' storage in the emuflash component. Two users:
 *
 *  - the block-device service (components/blockdev/src/flash_service.c,
 *    in the emuflash and flashdev processes), unprivileged, granted the
 *    flash controller's registers and the storage range (read-write); on
 *    a board whose flash only the kernel can program (the RP2040), the
 *    range and the right to ask the kernel (cmrx_flash_op(), <cmrx/flash.h>);
 *  - the kernel, for process slots and the commit log (docs/updating.md),
 *    through kernel/drivers/flash_bsp.c, with the MPU off meanwhile.
 *
 * Addresses are absolute; the caller keeps them inside its range and
 * aligned, and passes erased destinations to flash_hw_program().
 */
#ifndef FLASH_HW_H
#define FLASH_HW_H

#include <stdint.h>

/** The flash's units, fixed by its controller. */
struct flash_hw_geometry {
    uint32_t erase_size; /**< bytes one erase clears (a page or sector) */
    uint32_t prog_size;  /**< bytes one program operation writes, and their alignment */
};

/** The driver's geometry. */
extern const struct flash_hw_geometry flash_hw_geometry;

/**
 * Erase the unit at @p addr (aligned to erase_size) to 0xFF; returns when it
 * is done. @return 0, or -1 when the controller reports an error.
 */
int flash_hw_erase(uint32_t addr);

/**
 * Program @p n_words words from @p words at @p addr (aligned to prog_size,
 * a whole number of prog_size; where prog_size is above 64 bytes, the
 * service gives a unit in 64-byte parts, each at its place in the unit);
 * returns when they are written.
 * @return 0, or -1 when the controller reports an error.
 */
int flash_hw_program(uint32_t addr, const uint32_t *words, uint32_t n_words);

#endif
