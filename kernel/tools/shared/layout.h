/* MPU-aware memory layout: how big and how aligned each protected region
 * must be, where it goes in RAM, and how its MPU registers are encoded.
 *
 * ARMv6-M and ARMv7-M (PMSAv7): a region is a power of two, at least 32
 * bytes, aligned to its size; from 256 bytes up its eight subregions can be
 * disabled one by one, so a region only occupies the subregions it needs.
 * ARMv8-M (PMSAv8): base and limit at 32-byte granularity.
 */
#ifndef CMRX_SHARED_LAYOUT_H
#define CMRX_SHARED_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "limits.h"

/** Access rights a region grants, independent of the register encoding. */
enum mem_kind {
    MEM_FLASH,  /* everyone reads and executes */
    MEM_GUARD,  /* privileged read/execute only */
    MEM_RAM,    /* everyone reads and writes, never executes */
    MEM_DEVICE, /* like RAM, with device memory ordering */
};

/** The MPU region that holds an object of a given size. */
struct region_shape {
    uint32_t align;       /**< required base alignment */
    uint32_t region_size; /**< size the MPU region is programmed with */
    uint32_t footprint;   /**< bytes actually occupied (enabled subregions) */
    uint8_t srd;          /**< PMSAv7 subregion-disable mask (bit set = disabled) */
};

/** An object to place in RAM: one region, or `count` equal regions of `slot` bytes. */
struct layout_item {
    const char *owner; /**< process name, for reports and errors */
    const char *what;  /**< "data", "shared", "stacks" */
    uint32_t size;     /**< bytes needed (single region) */
    uint32_t slot;     /**< if non-zero: bytes per slot (each slot is a region) */
    uint32_t count;    /**< number of slots */
    /* outputs of layout_pack() */
    struct region_shape shape; /**< of one slot for slotted items */
    uint32_t base;
    uint32_t gap; /**< alignment padding placed just before this item */
};

/** Smallest region that holds @p size bytes (size 0: footprint 0). */
void layout_shape(enum mpu_arch arch, uint32_t size, struct region_shape *out);

/**
 * Round a per-thread stack size up to what one MPU region can protect
 * exactly (a power of two >= 32 on v6/v7, a multiple of 32 on v8).
 */
uint32_t layout_stack_slot(enum mpu_arch arch, uint32_t stack_size);

/**
 * Check that [base, base + size) can be one MPU region as it is (MMIO,
 * flash). On failure writes a message with the nearest region that covers it.
 */
int layout_fixed_region(enum mpu_arch arch, uint32_t base, uint32_t size, struct region_shape *out,
                        struct err *e);

/**
 * Place @p items in RAM [ram_base, ram_base + ram_size - reserve): largest
 * alignment first, so padding stays small. Fills shape, base and gap of
 * each item; *end receives the first free address after them.
 * @return 0, or -1 with a message naming what did not fit.
 */
int layout_pack(enum mpu_arch arch, uint32_t ram_base, uint32_t ram_size, uint32_t reserve,
                struct layout_item *items, size_t n, uint32_t *end, struct err *e);

/** Footprint of a placed item (all its slots). */
uint32_t layout_item_footprint(const struct layout_item *it);

/**
 * Register image of one region: ARMv6/7-M (RBAR with VALID and region
 * number, RASR); ARMv8-M (RBAR, RLAR; the region number goes to RNR).
 */
void mpu_encode(enum mpu_arch arch, unsigned regno, uint32_t base, const struct region_shape *shape,
                enum mem_kind kind, uint32_t out[2]);

/** Register image of a disabled region number @p regno. */
void mpu_encode_disabled(enum mpu_arch arch, unsigned regno, uint32_t out[2]);

#endif
