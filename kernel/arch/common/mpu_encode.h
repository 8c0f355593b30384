/* The Cortex-M MPUs' region layout and register encoding, for both sides:
 * the ports program and narrow regions at run time, the SDK
 * (kernel/tools/shared/layout.c) computes the process images and static
 * regions at build time. Freestanding: <stdint.h> only, and the macros
 * are safe in assembly.
 *
 * PMSAv6/PMSAv7 (ARMv6-M, ARMv7-M): a region is a power of two, aligned to
 * its size, in eight subregions from 256 bytes up. Regions may overlap; a
 * higher number wins:
 *  0 flash (everyone reads and executes)     static
 *  1 null guard: privileged-only first bytes static, when flash starts at 0
 *  2 process .data/.bss                      per process
 *  3 process .shared                         per process
 *  4 process MMIO range 0                    per process
 *  5 process MMIO range 1                    per process
 *  6 thread stack                            per thread
 *  7 caller's .shared during an RPC          per RPC call
 * A process's MPU image is (RBAR, RASR) for regions 2..5; each RBAR value
 * carries VALID and its region number.
 *
 * PMSAv8 (ARMv8-M): base and limit at 32-byte granularity; regions must
 * not overlap (an access that hits two of them faults):
 *  0 flash past the null guard (everyone reads and executes)  static
 *  1 unused: the null guard is the part no region covers
 *  2 thread stack                                             per thread
 *  3 caller's .shared during an RPC                           per thread
 *  4..7 as PMSAv7's 2..5                                      per process
 * A process's MPU image is (RBAR, RLAR) for regions 4..7, written with one
 * STM to RBAR and its three aliases (RNR = 4).
 */
#ifndef CMRX_ARCH_MPU_ENCODE_H
#define CMRX_ARCH_MPU_ENCODE_H

#define PMSAV7_REGION_FLASH 0u
#define PMSAV7_REGION_GUARD 1u
#define PMSAV7_REGION_IMAGE 2u /* first of the process image's four */
#define PMSAV7_REGION_STACK 6u
#define PMSAV7_REGION_RPC   7u
#define PMSAV7_RBAR_VALID   (1u << 4)
#define PMSAV8_REGION_FLASH 0u
#define PMSAV8_REGION_STACK 2u
#define PMSAV8_REGION_RPC   3u
#define PMSAV8_REGION_IMAGE 4u

#ifndef __ASSEMBLER__
#include <stdint.h>

/* PMSAv7 RASR: XN[28] AP[26:24] TEX[21:19] S[18] C[17] B[16] SRD[15:8]
 * SIZE[5:1] EN[0]. The access bits of each kind of memory: AP 0b110
 * read-only, 0b101 privileged read-only, 0b011 full access. */
#define PMSAV7_FLASH  ((6u << 24) | (1u << 17)) /* normal, write-through */
#define PMSAV7_GUARD  ((5u << 24) | (1u << 17)) /* normal, write-through */
#define PMSAV7_RAM    ((1u << 28) | (3u << 24) | (1u << 17) | (1u << 16)) /* normal, write-back */
#define PMSAV7_DEVICE ((1u << 28) | (3u << 24) | (1u << 18) | (1u << 16)) /* shareable device */

/** The base address an RBAR value holds (bits [31:5], on every MPU). */
static inline uint32_t mpu_rbar_base(uint32_t rbar)
{
    return rbar & ~0x1Fu;
}

/** @p base: 32-byte aligned (the field's low bits are VALID and REGION). */
static inline uint32_t pmsav7_rbar(uint32_t base, uint32_t region)
{
    return base | PMSAV7_RBAR_VALID | region;
}

/** An enabled region of 2^size_log2 bytes (>= 32) with the access bits of
 *  one kind and the subregions of @p srd disabled. */
static inline uint32_t pmsav7_rasr(uint32_t access, uint32_t size_log2, uint32_t srd)
{
    return access | ((srd & 0xFFu) << 8) | ((size_log2 - 1u) << 1) | 1u;
}

static inline uint32_t pmsav7_rasr_size_log2(uint32_t rasr)
{
    return ((rasr >> 1) & 0x1Fu) + 1u;
}

/** The subregion-disable mask that leaves only subregions [lo, hi) on. */
static inline uint32_t pmsav7_srd_keep(uint32_t lo, uint32_t hi)
{
    return ((0xFFu << hi) | ~(0xFFu << lo)) & 0xFFu;
}

static inline uint32_t pmsav7_rasr_with_srd(uint32_t rasr, uint32_t srd)
{
    return (rasr & ~(0xFFu << 8)) | ((srd & 0xFFu) << 8);
}

/* PMSAv8 RBAR: BASE[31:5] SH[4:3] AP[2:1] XN[0]; RLAR: LIMIT[31:5]
 * AttrIndx[3:1] EN[0]. AP 0b01 read/write at any privilege, 0b10
 * privileged read-only, 0b11 read-only. The attribute indexes select the
 * bytes of MAIR0 (port_init): normal memory, outer and inner write-back
 * non-transient with read and write allocation; Device-nGnRE. */
#define PMSAV8_FLASH       (3u << 1)
#define PMSAV8_GUARD       (2u << 1)
#define PMSAV8_RAM         ((1u << 1) | 1u)
#define PMSAV8_DEVICE      PMSAV8_RAM
#define PMSAV8_ATTR_NORMAL 0u
#define PMSAV8_ATTR_DEVICE 1u
#define PMSAV8_MAIR0       (0xFFu | (0x04u << 8))

/** @p base: 32-byte aligned. */
static inline uint32_t pmsav8_rbar(uint32_t base, uint32_t access)
{
    return base | access;
}

/** An enabled region ending just below @p end (rounded down to 32 bytes). */
static inline uint32_t pmsav8_rlar(uint32_t end, uint32_t attr_index)
{
    return mpu_rbar_base(end - 1u) | (attr_index << 1) | 1u;
}

#endif /* __ASSEMBLER__ */
#endif
