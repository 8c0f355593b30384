/* emuflash: NOR flash semantics over the emulated board's storage memory.
 *
 * The memory is plain RAM to QEMU; this driver is what makes it flash:
 * erase sets whole blocks to 0xFF, programming takes whole aligned pages
 * and only clears bits, and a page that is not erased where it is
 * programmed is refused before anything is written. Stores go word by word,
 * so QEMU stopped in the middle of one leaves a half-programmed page, as a
 * power cut leaves real flash. */
#include <stddef.h>
#include <stdint.h>

#include <blockdev.h>
#include <cmrx/cmrx.h>

#define BLOCKS (EMUFLASH_SIZE / EMUFLASH_BLOCK)

static volatile uint32_t *word_at(uint32_t block, uint32_t off)
{
    return (volatile uint32_t *)(uintptr_t)(EMUFLASH_BASE + block * EMUFLASH_BLOCK + off);
}

/* A range of one block: in the device, and not wrapping. */
static int range_ok(uint32_t block, uint32_t off, uint32_t size)
{
    return block < BLOCKS && off <= EMUFLASH_BLOCK && size <= EMUFLASH_BLOCK - off;
}

static int ef_read(struct blockdev *self, uint32_t block, uint32_t off, void *buf, uint32_t size)
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
    const volatile uint8_t *src =
        (const volatile uint8_t *)(uintptr_t)(EMUFLASH_BASE + block * EMUFLASH_BLOCK + off);
    uint8_t *dst = buf;
    for (uint32_t i = 0; i < size; i++) {
        dst[i] = src[i];
    }
    return CMRX_OK;
}

static int ef_prog(struct blockdev *self, uint32_t block, uint32_t off, const void *buf,
                   uint32_t size)
{
    (void)self;
    if (!range_ok(block, off, size) || off % EMUFLASH_PAGE != 0 || size % EMUFLASH_PAGE != 0) {
        return CMRX_EINVAL;
    }
    if (size == 0) {
        return CMRX_OK;
    }
    if (cmrx_rpc_buffer(buf, size) != CMRX_OK) {
        return CMRX_EFAULT;
    }
    /* The caller's buffer may be unaligned: assemble each word. */
    const uint8_t *src = buf;
    volatile uint32_t *dst = word_at(block, off);
    for (uint32_t i = 0; i < size / 4u; i++) {
        uint32_t w = (uint32_t)src[4 * i] | (uint32_t)src[4 * i + 1] << 8 |
                     (uint32_t)src[4 * i + 2] << 16 | (uint32_t)src[4 * i + 3] << 24;
        if ((dst[i] & w) != w) {
            return BLOCKDEV_ENOTERASED;
        }
    }
    for (uint32_t i = 0; i < size / 4u; i++) {
        uint32_t w = (uint32_t)src[4 * i] | (uint32_t)src[4 * i + 1] << 8 |
                     (uint32_t)src[4 * i + 2] << 16 | (uint32_t)src[4 * i + 3] << 24;
        dst[i] &= w;
    }
    return CMRX_OK;
}

static int ef_erase(struct blockdev *self, uint32_t block)
{
    (void)self;
    if (block >= BLOCKS) {
        return CMRX_EINVAL;
    }
    volatile uint32_t *dst = word_at(block, 0);
    for (uint32_t i = 0; i < EMUFLASH_BLOCK / 4u; i++) {
        dst[i] = 0xffffffffu;
    }
    return CMRX_OK;
}

/* Every store is in the image file the moment it is made. */
static int ef_sync(struct blockdev *self)
{
    (void)self;
    return CMRX_OK;
}

static int ef_geometry(struct blockdev *self, uint32_t what)
{
    (void)self;
    switch (what) {
    case BLOCKDEV_READ_SIZE: return 1;
    case BLOCKDEV_PROG_SIZE: return (int)EMUFLASH_PAGE;
    case BLOCKDEV_BLOCK_SIZE: return (int)EMUFLASH_BLOCK;
    case BLOCKDEV_BLOCK_COUNT: return (int)BLOCKS;
    default: return CMRX_EINVAL;
    }
}

CMRX_VTABLE(struct blockdev_vtable, emuflash_vt) = {ef_read, ef_prog, ef_erase, ef_sync,
                                                    ef_geometry};
CMRX_EXPORT struct blockdev blockdev_storage = {&emuflash_vt};
