/* The SDK's MPU layout: region shapes, packing, fixed regions, encodings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "layout.h"

static void v7_shapes_use_subregions(void **state)
{
    (void)state;
    struct region_shape s;
    layout_shape(MPU_ARMV7M, 0, &s);
    assert_int_equal(s.footprint, 0);
    layout_shape(MPU_ARMV7M, 1, &s);
    assert_int_equal(s.region_size, 32);
    assert_int_equal(s.footprint, 32);
    assert_int_equal(s.srd, 0);
    layout_shape(MPU_ARMV7M, 100, &s); /* below 256 bytes: no subregions */
    assert_int_equal(s.region_size, 128);
    assert_int_equal(s.footprint, 128);
    assert_int_equal(s.srd, 0);
    layout_shape(MPU_ARMV7M, 200, &s); /* 256: eight 32-byte subregions */
    assert_int_equal(s.region_size, 256);
    assert_int_equal(s.footprint, 224);
    assert_int_equal(s.srd, 0x80);
    layout_shape(MPU_ARMV7M, 2500, &s); /* 4 KiB region, 5 of 8 subregions */
    assert_int_equal(s.region_size, 4096);
    assert_int_equal(s.align, 4096);
    assert_int_equal(s.footprint, 2560);
    assert_int_equal(s.srd, 0xE0);
    layout_shape(MPU_ARMV7M, 4096, &s);
    assert_int_equal(s.footprint, 4096);
    assert_int_equal(s.srd, 0);
    layout_shape(MPU_ARMV7M, 4097, &s); /* 8 KiB region, 5 subregions of 1 KiB */
    assert_int_equal(s.region_size, 8192);
    assert_int_equal(s.footprint, 5120);
    assert_int_equal(s.srd, 0xE0);
}

static void v8_shapes_are_32_byte_granular(void **state)
{
    (void)state;
    struct region_shape s;
    layout_shape(MPU_ARMV8M, 2500, &s);
    assert_int_equal(s.align, 32);
    assert_int_equal(s.footprint, 2528);
    layout_shape(MPU_ARMV8M, 64, &s);
    assert_int_equal(s.footprint, 64);
}

static void stack_slots(void **state)
{
    (void)state;
    assert_int_equal(layout_stack_slot(MPU_ARMV7M, 1000), 1024);
    assert_int_equal(layout_stack_slot(MPU_ARMV7M, 1024), 1024);
    assert_int_equal(layout_stack_slot(MPU_ARMV6M, 300), 512);
    assert_int_equal(layout_stack_slot(MPU_ARMV8M, 1000), 1024);
    assert_int_equal(layout_stack_slot(MPU_ARMV8M, 1001), 1024);
    assert_int_equal(layout_stack_slot(MPU_ARMV8M, 1025), 1056);
}

static void packing_aligns_and_keeps_waste_small(void **state)
{
    (void)state;
    struct layout_item it[4];
    memset(it, 0, sizeof(it));
    it[0] = (struct layout_item){.owner = "a", .what = "data", .size = 2500};
    it[1] = (struct layout_item){.owner = "b", .what = "data", .size = 100};
    it[2] = (struct layout_item){.owner = "a", .what = "stacks", .slot = 1024, .count = 3};
    it[3] = (struct layout_item){.owner = "b", .what = "shared", .size = 0};
    uint32_t end;
    struct err err = {0};
    assert_int_equal(layout_pack(MPU_ARMV7M, 0x20000000, 0x10000, 0, it, 4, &end, &err), 0);
    /* Largest alignment first: a.data (4 KiB) at the base. */
    assert_int_equal(it[0].base, 0x20000000);
    assert_int_equal(it[0].gap, 0);
    /* Stacks (1 KiB aligned) right after a.data's 2560 bytes -> 0x20000C00. */
    assert_int_equal(it[2].base, 0x20000C00);
    /* b.data (128 B region) after the stacks. */
    assert_int_equal(it[1].base, 0x20000C00 + 3 * 1024);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(it[i].base % it[i].shape.align, 0);
    }
    /* No two items overlap. */
    for (int i = 0; i < 4; i++) {
        for (int j = i + 1; j < 4; j++) {
            uint32_t ie = it[i].base + layout_item_footprint(&it[i]);
            uint32_t je = it[j].base + layout_item_footprint(&it[j]);
            assert_true(ie <= it[j].base || je <= it[i].base);
        }
    }
    assert_int_equal(end, 0x20000C00 + 3 * 1024 + 128);
}

static void packing_fails_clearly_when_ram_is_short(void **state)
{
    (void)state;
    struct layout_item it[1];
    memset(it, 0, sizeof(it));
    it[0] = (struct layout_item){.owner = "big", .what = "stacks", .slot = 4096, .count = 4};
    uint32_t end;
    struct err err = {0};
    assert_int_equal(layout_pack(MPU_ARMV7M, 0x20000000, 0x4000, 0x100, it, 1, &end, &err), -1);
    assert_non_null(strstr(err.msg, "process big"));
    assert_non_null(strstr(err.msg, "stacks"));
}

/* Sizes no region holds, and slots whose total passes 4 GiB, are refused
 * (they used to wrap to no footprint and "fit"). */
static void packing_refuses_sizes_beyond_a_region(void **state)
{
    (void)state;
    struct layout_item it[1];
    uint32_t end;
    struct err err = {0};
    memset(it, 0, sizeof(it));
    it[0] = (struct layout_item){.owner = "huge", .what = "data", .size = 0x90000000u};
    assert_int_equal(layout_pack(MPU_ARMV7M, 0x00000000, 0xF0000000u, 0, it, 1, &end, &err), -1);
    assert_non_null(strstr(err.msg, "larger than one MPU region"));
    memset(it, 0, sizeof(it));
    it[0] = (struct layout_item){.owner = "many", .what = "stacks", .slot = 0x80000000u, .count = 4};
    assert_int_equal(layout_pack(MPU_ARMV7M, 0x00000000, 0xF0000000u, 0, it, 1, &end, &err), -1);
    assert_non_null(strstr(err.msg, "does not fit"));
    /* A kernel larger than RAM leaves none for processes. */
    memset(it, 0, sizeof(it));
    it[0] = (struct layout_item){.owner = "small", .what = "data", .size = 64};
    assert_int_equal(layout_pack(MPU_ARMV8M, 0x20000000, 0x1000, 0x2000, it, 1, &end, &err), -1);
}

static void fixed_regions(void **state)
{
    (void)state;
    struct region_shape s;
    struct err err = {0};
    assert_int_equal(layout_fixed_region(MPU_ARMV7M, 0x40004000, 0x1000, &s, &err), 0);
    assert_int_equal(s.region_size, 0x1000);
    /* Not a power of two. */
    assert_int_equal(layout_fixed_region(MPU_ARMV7M, 0x40004000, 0x1800, &s, &err), -1);
    assert_non_null(strstr(err.msg, "base 0x40004000 size 0x2000"));
    /* Not aligned to its size. */
    assert_int_equal(layout_fixed_region(MPU_ARMV7M, 0x40004800, 0x1000, &s, &err), -1);
    assert_non_null(strstr(err.msg, "base 0x40004000 size 0x2000"));
    /* ARMv8-M only needs 32-byte boundaries. */
    assert_int_equal(layout_fixed_region(MPU_ARMV8M, 0x40004800, 0x1800, &s, &err), 0);
    assert_int_equal(layout_fixed_region(MPU_ARMV8M, 0x40004804, 0x100, &s, &err), -1);
    assert_int_equal(layout_fixed_region(MPU_ARMV7M, 0xFFFFF000, 0x2000, &s, &err), -1);
}

static void v7_encoding(void **state)
{
    (void)state;
    struct region_shape s;
    uint32_t img[2];
    layout_shape(MPU_ARMV7M, 2500, &s);
    mpu_encode(MPU_ARMV7M, 2, 0x20004000, &s, MEM_RAM, img);
    assert_int_equal(img[0], 0x20004000u | 0x10u | 2u);
    /* XN, AP=011, C, B, SRD=0xE0, SIZE=11 (4 KiB), ENABLE */
    assert_int_equal(img[1], (1u << 28) | (3u << 24) | (1u << 17) | (1u << 16) | (0xE0u << 8) |
                                 (11u << 1) | 1u);
    layout_shape(MPU_ARMV7M, 4096, &s);
    mpu_encode(MPU_ARMV7M, 4, 0x40004000, &s, MEM_DEVICE, img);
    assert_int_equal(img[1] & (1u << 28), 1u << 28); /* never executable */
    assert_int_equal((img[1] >> 16) & 7u, 5u);       /* S=1, C=0, B=1: shared device */
    mpu_encode_disabled(MPU_ARMV7M, 7, img);
    assert_int_equal(img[0], 0x17u);
    assert_int_equal(img[1], 0);
    layout_shape(MPU_ARMV7M, 0, &s);
    mpu_encode(MPU_ARMV7M, 3, 0x20000000, &s, MEM_RAM, img);
    assert_int_equal(img[1], 0); /* empty: disabled */
}

static void v8_encoding(void **state)
{
    (void)state;
    struct region_shape s;
    uint32_t img[2];
    layout_shape(MPU_ARMV8M, 100, &s);
    mpu_encode(MPU_ARMV8M, 2, 0x20000040, &s, MEM_RAM, img);
    assert_int_equal(img[0], 0x20000040u | (1u << 1) | 1u); /* AP=01, XN */
    assert_int_equal(img[1], (0x20000040u + 128u - 32u) | 1u);
}

static void arch_names_round_trip(void **state)
{
    (void)state;
    enum mpu_arch a;
    assert_int_equal(mpu_arch_parse("armv8m", &a), 0);
    assert_int_equal(a, MPU_ARMV8M);
    assert_string_equal(mpu_arch_name(MPU_ARMV6M), "armv6m");
    assert_int_equal(mpu_arch_parse("armv9m", &a), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(v7_shapes_use_subregions),
        cmocka_unit_test(v8_shapes_are_32_byte_granular),
        cmocka_unit_test(stack_slots),
        cmocka_unit_test(packing_aligns_and_keeps_waste_small),
        cmocka_unit_test(packing_fails_clearly_when_ram_is_short),
        cmocka_unit_test(packing_refuses_sizes_beyond_a_region),
        cmocka_unit_test(fixed_regions),
        cmocka_unit_test(v7_encoding),
        cmocka_unit_test(v8_encoding),
        cmocka_unit_test(arch_names_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
