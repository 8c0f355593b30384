/* Intel HEX for cmrx flash --process: records, checksums, the 64 KiB
 * segments (extended linear address records), the end record. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "ihex.h"

static void two_bytes_and_the_end(void **state)
{
    (void)state;
    const uint8_t d[] = {0x01, 0x02};
    struct ihex_block b = {0x08000000u, d, sizeof(d)};
    char *t = ihex_text(&b, 1);
    assert_string_equal(t, ":020000040800F2\n:020000000102FB\n:00000001FF\n");
    free(t);
}

static void records_of_16_bytes_never_cross_a_segment(void **state)
{
    (void)state;
    uint8_t d[20];
    for (unsigned i = 0; i < sizeof(d); i++) {
        d[i] = (uint8_t)i;
    }
    /* 20 bytes from 0x0800FFFE: 2 in segment 0x0800, 18 in 0x0801 (16 + 2). */
    const uint8_t rec[] = {0xFF, 0xFF, 0xFF, 0xFF};
    struct ihex_block b[] = {{0x0800FFFEu, d, sizeof(d)}, {0x08010100u, rec, sizeof(rec)}};
    char *t = ihex_text(b, 2);
    assert_string_equal(t, ":020000040800F2\n"
                           ":02FFFE00000100\n"
                           ":020000040801F1\n"
                           ":1000000002030405060708090A0B0C0D0E0F101158\n"
                           ":020010001213C9\n"
                           ":04010000FFFFFFFFFF\n"
                           ":00000001FF\n");
    free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(two_bytes_and_the_end),
        cmocka_unit_test(records_of_16_bytes_never_cross_a_segment),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
