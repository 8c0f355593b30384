/* The SDK's MPU layout (kernel/tools/shared/layout.c) against the MPUs'
 * own rules: whatever items it places, each placed region must grant
 * exactly its bytes and no others, no two may share a byte, and all lie
 * in the RAM given. The decoding below follows the architecture manuals
 * (ARMv7-M ARM B3.5.8-B3.5.9: RBAR, RASR, subregions; ARMv8-M ARM
 * B10.2: RBAR, RLAR), not the encoder's header, so a slip in the shared
 * encoding shows here. Inputs the layout refuses must say why. */
#include "fuzz.h"
#include "layout.h"

#define MAX_ITEMS 8u

struct range {
    uint64_t lo, hi; /* [lo, hi) */
};

static uint32_t take(const uint8_t **p, const uint8_t *end, unsigned n)
{
    uint32_t v = 0;
    for (unsigned i = 0; i < n && *p < end; i++) {
        v |= (uint32_t)*(*p)++ << (8u * i);
    }
    return v;
}

/* What a PMSAv7 region (RBAR, RASR) grants as RAM: the enabled
 * subregions must be one run from the region's base. */
static struct range v7_granted(const uint32_t img[2])
{
    uint32_t rasr = img[1];
    FUZZ_CHECK((rasr & 1u) != 0);                           /* ENABLE */
    FUZZ_CHECK(((rasr >> 24) & 7u) == 3u);                  /* AP: full access */
    FUZZ_CHECK((rasr & (1u << 28)) != 0);                   /* XN */
    unsigned size_field = (rasr >> 1) & 0x1Fu;
    FUZZ_CHECK(size_field >= 4u);                           /* 32 bytes at least */
    uint64_t size = 1ull << (size_field + 1u);
    uint64_t base = img[0] & ~(uint32_t)(size - 1u);        /* low bits ignored */
    FUZZ_CHECK((img[0] & ~0x1Fu) == base);                  /* so they must be 0 */
    uint32_t srd = (rasr >> 8) & 0xFFu;
    if (size < 256u) {
        FUZZ_CHECK(srd == 0); /* no subregions below 256 bytes */
        return (struct range){base, base + size};
    }
    uint64_t sub = size / 8u;
    unsigned on = 0;
    while (on < 8u && (srd & (1u << on)) == 0) {
        on++;
    }
    FUZZ_CHECK(on > 0 && (srd >> on) == (0xFFu >> on)); /* the rest all off */
    return (struct range){base, base + on * sub};
}

/* What a PMSAv8 region (RBAR, RLAR) grants as RAM. */
static struct range v8_granted(const uint32_t img[2])
{
    FUZZ_CHECK((img[1] & 1u) != 0);             /* EN */
    FUZZ_CHECK(((img[0] >> 1) & 3u) == 1u);     /* AP: read/write, any privilege */
    FUZZ_CHECK((img[0] & 1u) != 0);             /* XN */
    uint64_t lo = img[0] & ~0x1Fu;
    uint64_t hi = (uint64_t)(img[1] & ~0x1Fu) + 32u; /* LIMIT is inclusive */
    FUZZ_CHECK(lo < hi);
    return (struct range){lo, hi};
}

/* Each region of a placed item (one, or one per slot) grants exactly
 * its own bytes, and together they hold what the item asked for. */
static void check_item(enum mpu_arch arch, const struct layout_item *it, struct range *out)
{
    uint32_t n = it->slot != 0 ? it->count : 1u;
    uint32_t each = it->shape.footprint;
    FUZZ_CHECK(it->slot != 0 ? each >= it->slot : each >= it->size);
    uint64_t at = it->base;
    for (uint32_t k = 0; k < n && each != 0; k++, at += each) {
        uint32_t img[2];
        mpu_encode(arch, 2, (uint32_t)at, &it->shape, MEM_RAM, img);
        struct range r = arch == MPU_ARMV8M ? v8_granted(img) : v7_granted(img);
        FUZZ_CHECK(r.lo == at && r.hi == at + each);
    }
    *out = (struct range){it->base, (uint64_t)it->base + (uint64_t)each * n};
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *p = data, *end = data + size;
    static const enum mpu_arch arches[] = {MPU_ARMV6M, MPU_ARMV7M, MPU_ARMV8M};
    enum mpu_arch arch = arches[take(&p, end, 1) % 3u];
    uint32_t ram_base = take(&p, end, 4) & ~31u;
    uint32_t ram_size = take(&p, end, 4);
    uint32_t reserve = take(&p, end, 2);
    if ((uint64_t)ram_base + ram_size >= 0x100000000ull) {
        return 0; /* a board's RAM lies in the address space (bsp.c checks it) */
    }
    size_t n = 1u + take(&p, end, 1) % MAX_ITEMS;
    struct layout_item it[MAX_ITEMS];
    static const char *whats[] = {"data", "shared", "stacks"};
    for (size_t i = 0; i < n; i++) {
        uint32_t kind = take(&p, end, 1);
        it[i] = (struct layout_item){.owner = "p", .what = whats[kind % 3u]};
        if (kind % 3u == 2u) {
            it[i].slot = layout_stack_slot(arch, take(&p, end, 4));
            it[i].count = 1u + take(&p, end, 1) % 32u;
        } else {
            it[i].size = take(&p, end, 4);
        }
    }
    uint32_t free_at;
    struct err e = {0};
    if (layout_pack(arch, ram_base, ram_size, reserve, it, n, &free_at, &e) != 0) {
        FUZZ_CHECK(e.msg[0] != '\0');
        return 0;
    }
    struct range r[MAX_ITEMS];
    for (size_t i = 0; i < n; i++) {
        FUZZ_CHECK(it[i].shape.align != 0 && it[i].base % it[i].shape.align == 0);
        check_item(arch, &it[i], &r[i]);
        if (r[i].lo == r[i].hi) {
            continue; /* no region */
        }
        FUZZ_CHECK(r[i].lo >= ram_base && r[i].hi + reserve <= (uint64_t)ram_base + ram_size);
        FUZZ_CHECK(r[i].hi <= free_at);
        for (size_t j = 0; j < i; j++) {
            FUZZ_CHECK(r[i].hi <= r[j].lo || r[j].hi <= r[i].lo || r[j].lo == r[j].hi);
        }
    }
    return 0;
}
