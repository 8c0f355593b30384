/* What an ARMv6-M (Thumb-1) instruction would access in memory. ARMv6-M
 * reports every fault as a HardFault without status registers, so the
 * port finds the cause by looking at the faulting instruction itself.
 * Plain C on plain values: the host unit tests run it too. */
#ifndef CMRX_THUMB_DECODE_H
#define CMRX_THUMB_DECODE_H

#include <stdbool.h>
#include <stdint.h>

enum thumb_kind {
    THUMB_OTHER,     /* no memory access (or none this decoder knows) */
    THUMB_LOAD,      /* reads [addr, addr + len) in elements of `size` bytes */
    THUMB_STORE,     /* writes [addr, addr + len) in elements of `size` bytes */
    THUMB_BKPT,      /* BKPT: a HardFault without a debugger */
    THUMB_UNDEFINED, /* UDF, or an encoding ARMv6-M does not have */
};

/** The registers of the faulting code. */
struct thumb_regs {
    uint32_t r[8]; /* r0-r7 */
    uint32_t sp;   /* as the instruction saw it */
    uint32_t pc;   /* address of the instruction */
};

struct thumb_access {
    uint32_t addr;
    uint32_t len;
    uint32_t size; /* element size: 1, 2 or 4 */
};

/**
 * Decode the instruction whose first halfword is @p hw1 (and second @p hw2,
 * for 32-bit encodings) run with registers @p regs. For loads and stores
 * fills @p out.
 */
enum thumb_kind thumb_decode(uint16_t hw1, uint16_t hw2, const struct thumb_regs *regs,
                             struct thumb_access *out);

/** Whether @p hw1 starts a 32-bit instruction. */
bool thumb_is_32bit(uint16_t hw1);

#endif
