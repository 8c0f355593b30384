/* A board's boot header: bytes at the start of flash that the chip's boot
 * ROM reads before the vector table (the RP2040's "boot2"). The SDK links
 * the board's boot code where the ROM runs it, pads it and appends the
 * checksum the ROM verifies; the vector table follows the header. */
#ifndef CMRX_SHARED_BOOT_H
#define CMRX_SHARED_BOOT_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "limits.h"

#define BOOT_MAX_SIZE 0x10000u /* a boot header larger than this is no header */

enum boot_checksum {
    BOOT_CHECKSUM_NONE,
    BOOT_CHECKSUM_CRC32_MPEG2, /* RP2040 boot ROM */
};

/** Parse a checksum name of bsp.yaml ("none", "crc32-mpeg2"). @return 0 or -1. */
int boot_checksum_parse(const char *s, enum boot_checksum *out);

const char *boot_checksum_name(enum boot_checksum c);

/** Bytes the checksum takes at the end of the header. */
uint32_t boot_checksum_size(enum boot_checksum c);

/**
 * CRC-32/MPEG-2: polynomial 0x04C11DB7, initial value 0xFFFFFFFF, bits
 * taken most significant first (neither input nor output reflected), no
 * final XOR.
 */
uint32_t boot_crc32_mpeg2(const uint8_t *p, size_t n);

/**
 * Alignment VTOR needs for a vector table of @p vectors entries: the
 * table's size rounded up to a power of two, at least 128 bytes (TBLOFF
 * starts at bit 7), at least 256 on ARMv6-M (the Cortex-M0+ ignores
 * VTOR bit 7).
 */
uint32_t boot_vector_align(enum mpu_arch arch, uint32_t vectors);

/**
 * The header of @p size bytes: @p code (@p len bytes), zeros up to the
 * checksum, then the checksum of everything before it, little-endian.
 * @p what names the code in errors (the BSP source).
 * @return 0, or -1 with a message when the code does not fit.
 */
int boot_pack(const uint8_t *code, size_t len, uint32_t size, enum boot_checksum c,
              const char *what, uint8_t *out, struct err *e);

/**
 * cmrx-sdk boot: read the linked boot code (raw binary) from @p code_path,
 * pack it, and write the header as raw bytes to @p bin_path and as an
 * assembly file (section .cmrx.boot) to @p asm_path.
 */
int boot_write(const char *code_path, uint32_t size, enum boot_checksum c, const char *what,
               const char *bin_path, const char *asm_path, struct err *e);

#endif
