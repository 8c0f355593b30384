/* Thumb-1 decoding of loads, stores and undefined encodings, from the
 * ARMv6-M Architecture Reference Manual (DDI 0419E), A5.2 (16-bit
 * encodings), A5.3 (32-bit encodings) and A6.7 (the instructions). */
#include "thumb_decode.h"

static uint32_t bits(uint32_t v, unsigned hi, unsigned lo)
{
    return (v >> lo) & ((1u << (hi - lo + 1u)) - 1u);
}

static uint32_t popcount8(uint32_t v)
{
    uint32_t n = 0;
    for (; v != 0; v &= v - 1u) {
        n++;
    }
    return n;
}

bool thumb_is_32bit(uint16_t hw1)
{
    uint32_t top = bits(hw1, 15, 11);
    return top == 0x1Du || top == 0x1Eu || top == 0x1Fu;
}

/* The 32-bit instructions of ARMv6-M: BL, MSR, MRS, DSB, DMB, ISB
 * (A5.3.1). Everything else there, UDF.W included, is undefined. */
static bool valid_32bit(uint16_t hw1, uint16_t hw2)
{
    if (bits(hw1, 15, 11) != 0x1Eu || bits(hw2, 15, 15) != 1u) {
        return false;
    }
    uint32_t op1 = bits(hw1, 10, 4); /* op1 of A5.3, with hw1[10:4] */
    uint32_t op2 = bits(hw2, 14, 12);
    if ((op2 & 5u) == 5u) {
        return true; /* BL */
    }
    if (op2 == 0u || op2 == 2u) {
        /* MSR (0111000x), MRS (0111110x), and the barriers (0111011) */
        return (op1 & 0x7Eu) == 0x38u || (op1 & 0x7Eu) == 0x3Eu || op1 == 0x3Bu;
    }
    return false;
}

static enum thumb_kind mem_access(enum thumb_kind k, uint32_t addr, uint32_t len, uint32_t size,
                                  struct thumb_access *out)
{
    out->addr = addr;
    out->len = len;
    out->size = size;
    return k;
}

enum thumb_kind thumb_decode(uint16_t hw1, uint16_t hw2, const struct thumb_regs *regs,
                             struct thumb_access *out)
{
    const uint32_t *r = regs->r;
    if (thumb_is_32bit(hw1)) {
        return valid_32bit(hw1, hw2) ? THUMB_OTHER : THUMB_UNDEFINED;
    }
    uint32_t rt_n = bits(hw1, 5, 3); /* Rn of the immediate and register forms */
    uint32_t imm5 = bits(hw1, 10, 6);
    bool load = bits(hw1, 11, 11) != 0u;
    enum thumb_kind ls = load ? THUMB_LOAD : THUMB_STORE;

    switch (bits(hw1, 15, 12)) {
    case 0x4u:
        if (bits(hw1, 11, 11) != 0u) { /* LDR (literal) */
            uint32_t base = (regs->pc + 4u) & ~3u;
            return mem_access(THUMB_LOAD, base + bits(hw1, 7, 0) * 4u, 4u, 4u, out);
        }
        return THUMB_OTHER;
    case 0x5u: { /* load/store, register offset */
        static const uint8_t size[8] = {4, 2, 1, 1, 4, 2, 1, 2};
        uint32_t op = bits(hw1, 11, 9);
        uint32_t addr = r[bits(hw1, 8, 6)] + r[rt_n];
        return mem_access(op == 0u || op == 1u || op == 2u ? THUMB_STORE : THUMB_LOAD, addr,
                          size[op], size[op], out);
    }
    case 0x6u: /* STR/LDR (immediate), word */
        return mem_access(ls, r[rt_n] + imm5 * 4u, 4u, 4u, out);
    case 0x7u: /* STRB/LDRB (immediate) */
        return mem_access(ls, r[rt_n] + imm5, 1u, 1u, out);
    case 0x8u: /* STRH/LDRH (immediate) */
        return mem_access(ls, r[rt_n] + imm5 * 2u, 2u, 2u, out);
    case 0x9u: /* STR/LDR (SP plus immediate) */
        return mem_access(ls, regs->sp + bits(hw1, 7, 0) * 4u, 4u, 4u, out);
    case 0xBu: {
        uint32_t n = popcount8(bits(hw1, 7, 0)) + bits(hw1, 8, 8);
        if (bits(hw1, 11, 9) == 2u) { /* PUSH: the registers, and LR if M */
            return mem_access(THUMB_STORE, regs->sp - 4u * n, 4u * n, 4u, out);
        }
        if (bits(hw1, 11, 9) == 6u) { /* POP: the registers, and PC if P */
            return mem_access(THUMB_LOAD, regs->sp, 4u * n, 4u, out);
        }
        if (bits(hw1, 11, 8) == 0xEu) {
            return THUMB_BKPT;
        }
        /* CBZ/CBNZ (x0x1) and IT (1111 with a mask) are ARMv7-M only. */
        if ((bits(hw1, 11, 8) & 5u) == 1u || (bits(hw1, 11, 8) == 0xFu && bits(hw1, 3, 0) != 0u)) {
            return THUMB_UNDEFINED;
        }
        return THUMB_OTHER;
    }
    case 0xCu: { /* STM/LDM */
        uint32_t n = popcount8(bits(hw1, 7, 0));
        return mem_access(ls, r[bits(hw1, 10, 8)], 4u * n, 4u, out);
    }
    case 0xDu:
        return bits(hw1, 11, 8) == 0xEu ? THUMB_UNDEFINED : THUMB_OTHER; /* UDF; B<c>, SVC */
    default:
        return THUMB_OTHER;
    }
}
