/* Boot headers: the RP2040 boot ROM's CRC-32 against published check
 * values, padding and placement of the checksum, the code size limit, and
 * the vector table alignment VTOR needs after a header. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "boot.h"

static void crc_matches_the_catalogue(void **state)
{
    (void)state;
    /* CRC-32/MPEG-2 in the CRC catalogue (poly 0x04C11DB7, init
     * 0xFFFFFFFF, refin/refout false, xorout 0): check value of the nine
     * ASCII digits. */
    assert_int_equal(boot_crc32_mpeg2((const uint8_t *)"123456789", 9), 0x0376E6E7u);
    /* Nothing processed: the initial value, no final XOR applied. */
    assert_int_equal(boot_crc32_mpeg2(NULL, 0), 0xFFFFFFFFu);
    /* One zero byte: the register shifted 8 times from all ones, most
     * significant bit first. */
    static const uint8_t zero = 0;
    assert_int_equal(boot_crc32_mpeg2(&zero, 1), 0x4E08BFB4u);
}

/* A CRC without reflection or final XOR leaves zero in the register once
 * the message is followed by its own CRC, most significant byte first. */
static void crc_of_message_and_crc_is_zero(void **state)
{
    (void)state;
    uint8_t m[252 + 4];
    for (unsigned i = 0; i < 252; i++) {
        m[i] = (uint8_t)(i * 7u + 3u);
    }
    uint32_t crc = boot_crc32_mpeg2(m, 252);
    for (unsigned i = 0; i < 4; i++) {
        m[252 + i] = (uint8_t)(crc >> (24 - 8 * i));
    }
    assert_int_equal(boot_crc32_mpeg2(m, sizeof(m)), 0);
    m[17] ^= 0x10; /* and a flipped bit shows */
    assert_int_not_equal(boot_crc32_mpeg2(m, sizeof(m)), 0);
}

static void header_is_padded_and_ends_with_its_crc(void **state)
{
    (void)state;
    static const uint8_t code[] = {0x0b, 0x48, 0x00, 0x21, 0x81, 0x60};
    uint8_t h[256];
    struct err err = {0};
    memset(h, 0xAA, sizeof(h));
    assert_int_equal(
        boot_pack(code, sizeof(code), 256, BOOT_CHECKSUM_CRC32_MPEG2, "boot2.S", h, &err), 0);
    assert_memory_equal(h, code, sizeof(code));
    for (unsigned i = sizeof(code); i < 252; i++) {
        assert_int_equal(h[i], 0);
    }
    uint32_t crc = boot_crc32_mpeg2(h, 252);
    uint32_t stored = (uint32_t)h[252] | (uint32_t)h[253] << 8 | (uint32_t)h[254] << 16 |
                      (uint32_t)h[255] << 24; /* little-endian, as the ROM reads it */
    assert_int_equal(stored, crc);
}

static void code_that_fills_the_header_fits(void **state)
{
    (void)state;
    uint8_t code[256], h[256];
    struct err err = {0};
    memset(code, 0x46, sizeof(code));
    assert_int_equal(boot_pack(code, 252, 256, BOOT_CHECKSUM_CRC32_MPEG2, "boot2.S", h, &err), 0);
    /* Without a checksum the code may use every byte. */
    assert_int_equal(boot_pack(code, 256, 256, BOOT_CHECKSUM_NONE, "boot.S", h, &err), 0);
    assert_memory_equal(h, code, 256);
}

static void code_too_large_is_refused_by_name(void **state)
{
    (void)state;
    uint8_t code[300] = {0}, h[256];
    struct err err = {0};
    assert_int_equal(boot_pack(code, 253, 256, BOOT_CHECKSUM_CRC32_MPEG2, "boot2.S", h, &err), -1);
    assert_non_null(strstr(err.msg, "boot.source boot2.S is 253 bytes"));
    assert_non_null(strstr(err.msg, "room for 252"));
    assert_int_equal(boot_pack(code, 0, 256, BOOT_CHECKSUM_NONE, "boot.S", h, &err), -1);
    assert_non_null(strstr(err.msg, "no code"));
}

/* cmrx-sdk boot, as the build runs it: a raw binary in, the header out as
 * bytes and as an assembly file for the firmware's link. */
static void header_files_are_written(void **state)
{
    (void)state;
    char dir[] = "/tmp/cmrx-test-boot-XXXXXX", code_path[300], bin[300], s[300];
    assert_non_null(mkdtemp(dir));
    snprintf(code_path, sizeof(code_path), "%s/code.bin", dir);
    snprintf(bin, sizeof(bin), "%s/h.bin", dir);
    snprintf(s, sizeof(s), "%s/h.S", dir);
    FILE *f = fopen(code_path, "wb");
    assert_non_null(f);
    fputs("123456789", f);
    fclose(f);
    struct err err = {0};
    assert_int_equal(boot_write(code_path, 16, BOOT_CHECKSUM_CRC32_MPEG2, "b.S", bin, s, &err), 0);
    uint8_t h[17];
    f = fopen(bin, "rb");
    assert_non_null(f);
    assert_int_equal(fread(h, 1, sizeof(h), f), 16);
    fclose(f);
    assert_memory_equal(h, "123456789\0\0\0", 12);
    char text[2048];
    f = fopen(s, "r");
    assert_non_null(f);
    text[fread(text, 1, sizeof(text) - 1, f)] = '\0';
    fclose(f);
    assert_non_null(strstr(text, ".section .cmrx.boot"));
    assert_non_null(strstr(text, ".byte 0x31, 0x32, 0x33"));

    /* Too large: nothing written, the error names the source. */
    remove(bin);
    assert_int_equal(boot_write(code_path, 12, BOOT_CHECKSUM_CRC32_MPEG2, "b.S", bin, s, &err), -1);
    assert_non_null(strstr(err.msg, "b.S is 9 bytes"));
    assert_int_equal(access(bin, F_OK), -1);
    remove(code_path);
    remove(s);
    rmdir(dir);
}

static void vector_table_alignment(void **state)
{
    (void)state;
    /* RP2040: 16 + 26 vectors fit 256 bytes, and the M0+ needs 256 anyway. */
    assert_int_equal(boot_vector_align(MPU_ARMV6M, 42), 256);
    assert_int_equal(boot_vector_align(MPU_ARMV6M, 16), 256);
    assert_int_equal(boot_vector_align(MPU_ARMV7M, 16), 128);
    assert_int_equal(boot_vector_align(MPU_ARMV7M, 98), 512); /* STM32L475: 82 IRQs */
    assert_int_equal(boot_vector_align(MPU_ARMV8M, 64), 256);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(crc_matches_the_catalogue),
        cmocka_unit_test(crc_of_message_and_crc_is_zero),
        cmocka_unit_test(header_is_padded_and_ends_with_its_crc),
        cmocka_unit_test(code_that_fills_the_header_fits),
        cmocka_unit_test(code_too_large_is_refused_by_name),
        cmocka_unit_test(header_files_are_written),
        cmocka_unit_test(vector_table_alignment),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
