/* blockdev: the RPC interface of a block-device driver process (flash).
 *
 * A block device is an array of `count` erase blocks of `block` bytes.
 * Reading takes any byte range of a block. Programming takes whole pages
 * (`prog` bytes, aligned) and can only clear bits: a page must be erased
 * (all 0xFF) where it is programmed. Erasing sets a whole block to 0xFF.
 * Buffers lie in the caller's CMRX_SHARED memory, which the driver sees
 * while the call runs (the file system's caches, never a copy).
 *
 * Drivers: the `emuflash` component (the emulated MPS2 boards' flash, kept
 * by `cmrx run` in a host image file) and the flash drivers of the real
 * boards' BSPs. Each serves one object named `blockdev_storage`.
 */
#ifndef BLOCKDEV_H
#define BLOCKDEV_H

#include <stdint.h>

#include <cmrx/cmrx.h>

/* Error codes (besides CMRX_EINVAL: a block, offset or size out of range or
 * misaligned; CMRX_EFAULT: a buffer not in the caller's CMRX_SHARED memory). */
#define BLOCKDEV_EIO        (-240) /**< the device failed the operation */
#define BLOCKDEV_ENOTERASED (-241) /**< prog(): a bit would go from 0 to 1; nothing was written */

/** What geometry() answers. */
enum blockdev_geometry {
    BLOCKDEV_READ_SIZE = 0,  /**< smallest read, bytes */
    BLOCKDEV_PROG_SIZE = 1,  /**< a page: the unit (and alignment) of prog() */
    BLOCKDEV_BLOCK_SIZE = 2, /**< an erase block */
    BLOCKDEV_BLOCK_COUNT = 3,
};

struct blockdev;

/** The RPC interface. */
struct blockdev_vtable {
    /** Copy @p size bytes at @p off of block @p block into @p buf. @return CMRX_OK or an error. */
    int (*read)(struct blockdev *self, uint32_t block, uint32_t off, void *buf, uint32_t size);
    /**
     * Program @p size bytes (whole pages) from @p buf at @p off (page-aligned)
     * of erased block @p block. @return CMRX_OK; BLOCKDEV_ENOTERASED, CMRX_EINVAL,
     * CMRX_EFAULT, BLOCKDEV_EIO.
     */
    int (*prog)(struct blockdev *self, uint32_t block, uint32_t off, const void *buf,
                uint32_t size);
    /** Erase block @p block (every byte 0xFF). @return CMRX_OK; CMRX_EINVAL, BLOCKDEV_EIO. */
    int (*erase)(struct blockdev *self, uint32_t block);
    /** Wait until every operation so far is durable. @return CMRX_OK or BLOCKDEV_EIO. */
    int (*sync)(struct blockdev *self);
    /** @return the size asked for (enum blockdev_geometry); CMRX_EINVAL. */
    int (*geometry)(struct blockdev *self, uint32_t what);
};

struct blockdev {
    const struct blockdev_vtable *vtable;
};

/** The block device of the firmware, served by its driver process. */
extern struct blockdev blockdev_storage;

#endif
