/* The block-device service over a flash driver (flash_hw.h): the one home of
 * the blockdev semantics (blockdev.h) for every flash, emulated or real.
 *
 * The device is the storage range STORAGE_BASE .. + STORAGE_SIZE; a block
 * is one erase unit, a page one program unit (which divides 64 bytes or is
 * a multiple of them). Every check is made before the flash
 * is touched: range and alignment, the caller's buffer in its shared
 * memory, and, for prog(), that no bit would have to go from 0 to 1. */
#include <stddef.h>
#include <stdint.h>

#include <blockdev.h>
#include <cmrx/cmrx.h>

#include "flash_hw.h"

#define BLOCK  (flash_hw_geometry.erase_size)
#define BLOCKS (STORAGE_SIZE / BLOCK)

static const volatile uint8_t *at(uint32_t block, uint32_t off)
{
    return (const volatile uint8_t *)(uintptr_t)(STORAGE_BASE + block * BLOCK + off);
}

static int range_ok(uint32_t block, uint32_t off, uint32_t size)
{
    return block < BLOCKS && off <= BLOCK && size <= BLOCK - off;
}

static int fs_read_(struct blockdev *self, uint32_t block, uint32_t off, void *buf, uint32_t size)
{
    (void)self;
    if (!range_ok(block, off, size)) {
        return CMRX_EINVAL;
    }
    if (size == 0) {
        return CMRX_OK;
    }
    if (cmrx_rpc_buffer(buf, size) != CMRX_OK) {
        return CMRX_EFAULT;
    }
    const volatile uint8_t *src = at(block, off);
    uint8_t *dst = buf;
    for (uint32_t i = 0; i < size; i++) {
        dst[i] = src[i];
    }
    return CMRX_OK;
}

static int fs_prog_(struct blockdev *self, uint32_t block, uint32_t off, const void *buf,
                    uint32_t size)
{
    (void)self;
    uint32_t page = flash_hw_geometry.prog_size;
    if (!range_ok(block, off, size) || off % page != 0 || size % page != 0) {
        return CMRX_EINVAL;
    }
    if (size == 0) {
        return CMRX_OK;
    }
    if (cmrx_rpc_buffer(buf, size) != CMRX_OK) {
        return CMRX_EFAULT;
    }
    const uint8_t *src = buf;
    const volatile uint8_t *dst = at(block, off);
    for (uint32_t i = 0; i < size; i++) {
        if ((dst[i] & src[i]) != src[i]) {
            return BLOCKDEV_ENOTERASED;
        }
    }
    /* Through an aligned copy of 64 bytes at a time (a whole number of
     * program units, or a part of one unit programmed as several): the
     * caller's buffer may be unaligned, and a controller may not read
     * flash-side memory while it programs. */
    uint32_t words[16];
    for (uint32_t done = 0; done < size; done += sizeof(words)) {
        uint32_t n = size - done < sizeof(words) ? size - done : sizeof(words);
        for (uint32_t i = 0; i < n; i++) {
            ((uint8_t *)words)[i] = src[done + i];
        }
        if (flash_hw_program(STORAGE_BASE + block * BLOCK + off + done, words, n / 4u) != 0) {
            return BLOCKDEV_EIO;
        }
    }
    return CMRX_OK;
}

static int fs_erase_(struct blockdev *self, uint32_t block)
{
    (void)self;
    if (block >= BLOCKS) {
        return CMRX_EINVAL;
    }
    return flash_hw_erase(STORAGE_BASE + block * BLOCK) == 0 ? CMRX_OK : BLOCKDEV_EIO;
}

/* flash_hw's operations return when they are done. */
static int fs_sync_(struct blockdev *self)
{
    (void)self;
    return CMRX_OK;
}

static int fs_geometry_(struct blockdev *self, uint32_t what)
{
    (void)self;
    switch (what) {
    case BLOCKDEV_READ_SIZE:
        return 1;
    case BLOCKDEV_PROG_SIZE:
        return (int)flash_hw_geometry.prog_size;
    case BLOCKDEV_BLOCK_SIZE:
        return (int)BLOCK;
    case BLOCKDEV_BLOCK_COUNT:
        return (int)BLOCKS;
    default:
        return CMRX_EINVAL;
    }
}

CMRX_VTABLE(struct blockdev_vtable, flash_service_vt) = {fs_read_, fs_prog_, fs_erase_, fs_sync_,
                                                         fs_geometry_};
CMRX_EXPORT struct blockdev blockdev_storage = {&flash_service_vt};
