/* The SDK's static MPU regions (flash, null guard) and stack attributes,
 * per MPU architecture. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "plan.h"

static struct firmware board(enum mpu_arch arch, uint32_t flash_base, uint32_t flash_size)
{
    struct firmware fw;
    memset(&fw, 0, sizeof(fw));
    fw.arch = arch;
    fw.mpu_regions = 8;
    fw.flash_base = flash_base;
    fw.flash_size = flash_size;
    fw.ram_base = 0x20000000u;
    fw.ram_size = 0x10000u;
    fw.vectors = 48;
    return fw;
}

/* RASR SIZE field of a PMSAv7 region: log2(size) - 1. */
static unsigned rasr_log2(uint32_t rasr)
{
    return ((rasr >> 1) & 0x1Fu) + 1u;
}

static void v7_flash_at_zero_has_a_guard(void **state)
{
    (void)state;
    struct firmware fw = board(MPU_ARMV7M, 0, 4u << 20);
    uint32_t m[4];
    plan_static_mpu(&fw, m);
    assert_int_equal(m[0], 0x00000000u | 0x10u | 0u); /* base 0, VALID, region 0 */
    assert_int_equal(rasr_log2(m[1]), 22);            /* 4 MiB */
    assert_int_equal((m[1] >> 24) & 7u, 6);           /* read-only for everyone */
    assert_int_equal(m[2], 0x00000000u | 0x10u | 1u); /* the guard is region 1 at 0 */
    assert_int_equal(rasr_log2(m[3]), 10);            /* 1 KiB */
    assert_int_equal((m[3] >> 24) & 7u, 5);           /* privileged read-only */
}

static void v6_flash_elsewhere_has_no_guard(void **state)
{
    (void)state;
    struct firmware fw = board(MPU_ARMV6M, 0x10000000u, 2u << 20); /* RP2040 */
    uint32_t m[4];
    plan_static_mpu(&fw, m);
    assert_int_equal(m[0], 0x10000000u | 0x10u);
    assert_int_equal(rasr_log2(m[1]), 21);
    assert_int_equal(m[2], 0x10u | 1u); /* region 1 disabled */
    assert_int_equal(m[3], 0);
}

/* A flash base that is no power-of-two boundary of the flash size (flash
 * after a boot loader) gets the smallest aligned region that covers it,
 * not one that spans RAM and peripherals too. */
static void v7_unaligned_flash_gets_the_smallest_cover(void **state)
{
    (void)state;
    struct firmware fw = board(MPU_ARMV7M, 0x10000100u, (2u << 20) - 0x100u);
    uint32_t m[4];
    plan_static_mpu(&fw, m);
    assert_int_equal(m[0] & ~0x1Fu, 0x10000000u);
    assert_int_equal(rasr_log2(m[1]), 21);

    fw = board(MPU_ARMV7M, 0x08004000u, 0x3C000u); /* 240 KiB after a 16 KiB loader */
    plan_static_mpu(&fw, m);
    assert_int_equal(m[0] & ~0x1Fu, 0x08000000u);
    assert_int_equal(rasr_log2(m[1]), 18);
}

static void v8_flash_starts_after_the_guard(void **state)
{
    (void)state;
    struct firmware fw = board(MPU_ARMV8M, 0x10000000u, 4u << 20); /* AN505, Secure */
    uint32_t m[4];
    plan_static_mpu(&fw, m);
    assert_int_equal(m[0], 0x10000000u | (3u << 1)); /* read-only for everyone, executable */
    assert_int_equal(m[1], 0x103FFFE0u | 1u);        /* limit, AttrIndx 0, enabled */
    assert_int_equal(m[2], 0);
    assert_int_equal(m[3], 0);

    /* Regions may not overlap on PMSAv8: the guard is what no region covers. */
    fw = board(MPU_ARMV8M, 0, 1u << 20);
    plan_static_mpu(&fw, m);
    assert_int_equal(m[0], 0x400u | (3u << 1));
    assert_int_equal(m[1], 0x000FFFE0u | 1u);
    assert_int_equal(m[3] & 1u, 0);
}

/* A boot header at the start of flash: the flash region covers it, and at
 * address 0 the null guard covers header and vector table together. */
static void boot_header_lies_under_flash_and_guard(void **state)
{
    (void)state;
    struct firmware fw = board(MPU_ARMV6M, 0x10000000u, 2u << 20); /* RP2040, boot2 */
    fw.boot_size = 256;
    uint32_t m[4];
    plan_static_mpu(&fw, m);
    assert_int_equal(m[0], 0x10000000u | 0x10u);
    assert_int_equal(rasr_log2(m[1]), 21);
    assert_int_equal(fw_guard_size(&fw), 0);

    fw = board(MPU_ARMV7M, 0, 1u << 20);
    fw.vectors = 240; /* 960 bytes: 1 KiB guard without a header */
    assert_int_equal(fw_guard_size(&fw), 1024);
    fw.boot_size = 256; /* 1216 bytes with one */
    assert_int_equal(fw_guard_size(&fw), 2048);
    plan_static_mpu(&fw, m);
    assert_int_equal(rasr_log2(m[3]), 11);

    fw = board(MPU_ARMV8M, 0, 1u << 20);
    fw.vectors = 240;
    fw.boot_size = 256;
    plan_static_mpu(&fw, m);
    assert_int_equal(m[0], 0x800u | (3u << 1)); /* flash after the 2 KiB guard */
}

static void stack_attributes(void **state)
{
    (void)state;
    struct firmware v8 = board(MPU_ARMV8M, 0x10000000u, 4u << 20);
    /* ARMv8-M: the RBAR bits (read/write for everyone, never executed);
     * the port adds base and limit per thread. */
    assert_int_equal(plan_stack_attr(&v8, 1056), (1u << 1) | 1u);
    struct firmware v7 = board(MPU_ARMV7M, 0, 4u << 20);
    uint32_t rasr = plan_stack_attr(&v7, 1024);
    assert_int_equal(rasr_log2(rasr), 10);
    assert_int_equal((rasr >> 28) & 1u, 1); /* XN */
    assert_int_equal((rasr >> 24) & 7u, 3); /* full access */
    assert_int_equal((rasr >> 8) & 0xFFu, 0);
}

/* Plan the MMIO regions of a process with one range [base, base + size). */
static int plan_one_mmio(const struct firmware *fw, uint32_t base, uint32_t size, struct err *err)
{
    struct process_decl p;
    memset(&p, 0, sizeof(p));
    p.name = "drv";
    p.mmio[0].base = base;
    p.mmio[0].size = size;
    p.n_mmio = 1;
    uint32_t out[4];
    return plan_mmio_mpu(fw, &p, out, err);
}

static void mmio_over_memory_is_refused(void **state)
{
    (void)state;
    struct firmware fw = board(MPU_ARMV7M, 0, 4u << 20);
    struct err err = {0};
    /* A device range is fine; the same size over flash or RAM would open
     * kernel memory to the process. */
    assert_int_equal(plan_one_mmio(&fw, 0x40004000u, 0x400u, &err), 0);
    assert_int_equal(plan_one_mmio(&fw, 0, 0x400u, &err), -1);
    assert_non_null(strstr(err.msg, "overlaps the board's flash"));
    assert_int_equal(plan_one_mmio(&fw, 0x2000FC00u, 0x400u, &err), -1);
    assert_non_null(strstr(err.msg, "overlaps the board's RAM"));
    /* Just past the RAM's end is a device range again. */
    assert_int_equal(plan_one_mmio(&fw, 0x20010000u, 0x400u, &err), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(v7_flash_at_zero_has_a_guard),
        cmocka_unit_test(v6_flash_elsewhere_has_no_guard),
        cmocka_unit_test(v7_unaligned_flash_gets_the_smallest_cover),
        cmocka_unit_test(v8_flash_starts_after_the_guard),
        cmocka_unit_test(boot_header_lies_under_flash_and_guard),
        cmocka_unit_test(stack_attributes),
        cmocka_unit_test(mmio_over_memory_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
