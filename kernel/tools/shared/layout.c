#include "layout.h"

#include "../../arch/common/mpu_encode.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t pow2_ceil(uint32_t v)
{
    uint32_t p = 32;
    while (p < v && p != 0x80000000u) {
        p <<= 1;
    }
    return p < v ? 0 : p;
}

static bool is_pow2(uint32_t v)
{
    return v != 0 && (v & (v - 1u)) == 0;
}

static uint32_t align_up(uint32_t v, uint32_t a)
{
    return (v + a - 1u) & ~(a - 1u);
}

void layout_shape(enum mpu_arch arch, uint32_t size, struct region_shape *out)
{
    memset(out, 0, sizeof(*out));
    if (size == 0) {
        out->align = arch == MPU_ARMV8M ? 32u : 8u;
        return;
    }
    if (arch == MPU_ARMV8M) {
        out->align = 32;
        out->region_size = align_up(size, 32);
        out->footprint = out->region_size;
        return;
    }
    uint32_t r = pow2_ceil(size);
    out->align = r;
    out->region_size = r;
    out->footprint = r;
    if (r >= 256) {
        uint32_t sub = r / 8u;
        uint32_t k = (size + sub - 1u) / sub;
        out->footprint = k * sub;
        out->srd = (uint8_t)pmsav7_srd_keep(0, k);
    }
}

uint32_t layout_stack_slot(enum mpu_arch arch, uint32_t stack_size)
{
    if (stack_size == 0) {
        return 0;
    }
    if (arch == MPU_SIM) {
        /* Host code (the C library, sanitizers) needs far more stack than
         * the same code built for a Cortex-M: LIMIT_HOST_STACK_SCALE times
         * the declared size, whole pages for mprotect(). */
        uint32_t s = stack_size * LIMIT_HOST_STACK_SCALE;
        return align_up(s < LIMIT_HOST_STACK_MIN ? LIMIT_HOST_STACK_MIN : s, 4096);
    }
    return arch == MPU_ARMV8M ? align_up(stack_size, 32) : pow2_ceil(stack_size);
}

int layout_fixed_region(enum mpu_arch arch, uint32_t base, uint32_t size, struct region_shape *out,
                        struct err *e)
{
    memset(out, 0, sizeof(*out));
    if (size == 0 || (uint64_t)base + size > 0x100000000ull) {
        return err_set(e, "range 0x%08x+0x%x is empty or beyond 4 GiB", base, size);
    }
    if (arch == MPU_ARMV8M) {
        if (base % 32u != 0 || size % 32u != 0) {
            uint32_t b = base & ~31u;
            err_set(e,
                    "range 0x%08x+0x%x is not on 32-byte boundaries as the ARMv8-M MPU needs; "
                    "use base 0x%08x size 0x%x",
                    base, size, b, align_up(base + size - b, 32));
            return -1;
        }
        out->align = 32;
        out->region_size = size;
        out->footprint = size;
        return 0;
    }
    if (!is_pow2(size) || size < 32 || base % size != 0) {
        /* Smallest aligned power of two that covers the range. */
        uint32_t r = pow2_ceil(size);
        while (r != 0 && (base & ~(r - 1u)) + (uint64_t)r < (uint64_t)base + size) {
            r = r == 0x80000000u ? 0 : r << 1;
        }
        if (r != 0) {
            err_set(e,
                    "range 0x%08x+0x%x is not a power-of-two size (>= 32) aligned to its size as "
                    "the %s MPU needs; the smallest region covering it is base 0x%08x size 0x%x",
                    base, size, mpu_arch_name(arch), base & ~(r - 1u), r);
        } else {
            err_set(e, "range 0x%08x+0x%x cannot be covered by one %s MPU region", base, size,
                    mpu_arch_name(arch));
        }
        return -1;
    }
    out->align = size;
    out->region_size = size;
    out->footprint = size;
    return 0;
}

uint32_t layout_item_footprint(const struct layout_item *it)
{
    if (it->slot != 0) {
        return it->shape.footprint * it->count;
    }
    return it->shape.footprint;
}

static int cmp_items(const void *a, const void *b)
{
    const struct layout_item *x = *(const struct layout_item *const *)a;
    const struct layout_item *y = *(const struct layout_item *const *)b;
    if (x->shape.align != y->shape.align) {
        return x->shape.align > y->shape.align ? -1 : 1;
    }
    uint32_t fx = layout_item_footprint(x), fy = layout_item_footprint(y);
    if (fx != fy) {
        return fx > fy ? -1 : 1;
    }
    int c = strcmp(x->owner, y->owner);
    return c != 0 ? c : strcmp(x->what, y->what);
}

int layout_pack(enum mpu_arch arch, uint32_t ram_base, uint32_t ram_size, uint32_t reserve,
                struct layout_item *items, size_t n, uint32_t *end, struct err *e)
{
    struct layout_item **order = calloc(n ? n : 1, sizeof(*order));
    if (order == NULL) {
        return err_set(e, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        struct layout_item *it = &items[i];
        if (it->slot != 0) {
            layout_shape(arch, it->slot, &it->shape);
            if (it->shape.footprint != it->slot) {
                /* Each slot must be exactly one region: no subregion games. */
                it->shape.footprint = it->shape.region_size;
                it->shape.srd = 0;
            }
        } else {
            layout_shape(arch, it->size, &it->shape);
        }
        order[i] = it;
    }
    qsort(order, n, sizeof(*order), cmp_items);

    uint64_t cursor = ram_base;
    /* A kernel larger than RAM leaves no room (and must not wrap). */
    uint64_t limit = (uint64_t)ram_base + ram_size - (reserve < ram_size ? reserve : ram_size);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        struct layout_item *it = order[i];
        uint32_t one = it->slot != 0 ? it->slot : it->size;
        if (one != 0 && it->shape.region_size == 0) {
            /* Beyond 2 GiB (PMSAv7) or 4 GiB less 32 bytes (PMSAv8). */
            rc = err_set(e, "process %s: %s (%u bytes) is larger than one MPU region can be",
                         it->owner, it->what, one);
            cursor = ram_base;
            break;
        }
        uint64_t base = (cursor + it->shape.align - 1u) & ~(uint64_t)(it->shape.align - 1u);
        it->gap = (uint32_t)(base - cursor);
        it->base = (uint32_t)base;
        /* In 64 bits: slots times their size may not fit in 32. */
        uint64_t need = (uint64_t)it->shape.footprint * (it->slot != 0 ? it->count : 1u);
        cursor = base + need;
        if (cursor > limit) {
            err_set(e,
                    "process %s: %s (%llu bytes, %u-byte MPU alignment) does not fit in RAM "
                    "0x%08x..0x%08x: needs 0x%08llx; reduce stack sizes or thread counts, or "
                    "choose a board with more RAM",
                    it->owner, it->what, (unsigned long long)need, it->shape.align, ram_base,
                    (unsigned)(ram_base + ram_size), (unsigned long long)cursor);
            rc = -1;
            break;
        }
    }
    *end = (uint32_t)cursor;
    free(order);
    return rc;
}

static unsigned log2u(uint32_t v)
{
    unsigned n = 0;
    while (v > 1u) {
        v >>= 1;
        n++;
    }
    return n;
}

void mpu_encode_disabled(enum mpu_arch arch, unsigned regno, uint32_t out[2])
{
    out[0] = arch == MPU_ARMV8M ? 0 : pmsav7_rbar(0, regno & 0xFu);
    out[1] = 0;
}

void mpu_encode(enum mpu_arch arch, unsigned regno, uint32_t base, const struct region_shape *shape,
                enum mem_kind kind, uint32_t out[2])
{
    static const uint32_t v7[] = {[MEM_FLASH] = PMSAV7_FLASH,
                                  [MEM_GUARD] = PMSAV7_GUARD,
                                  [MEM_RAM] = PMSAV7_RAM,
                                  [MEM_DEVICE] = PMSAV7_DEVICE};
    static const uint32_t v8[] = {[MEM_FLASH] = PMSAV8_FLASH,
                                  [MEM_GUARD] = PMSAV8_GUARD,
                                  [MEM_RAM] = PMSAV8_RAM,
                                  [MEM_DEVICE] = PMSAV8_DEVICE};
    if (shape->footprint == 0) {
        mpu_encode_disabled(arch, regno, out);
    } else if (arch == MPU_ARMV8M) {
        out[0] = pmsav8_rbar(mpu_rbar_base(base), v8[kind]);
        out[1] = pmsav8_rlar(base + shape->footprint,
                             kind == MEM_DEVICE ? PMSAV8_ATTR_DEVICE : PMSAV8_ATTR_NORMAL);
    } else {
        out[0] = pmsav7_rbar(mpu_rbar_base(base), regno & 0xFu);
        out[1] = pmsav7_rasr(v7[kind], log2u(shape->region_size), shape->srd);
    }
}
