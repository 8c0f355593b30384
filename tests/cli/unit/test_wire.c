/* The updater's frames (components/updater/src/wire.c), which cmrx deploy
 * and the board's updater both build and parse. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "updater_wire.h"

/* Feed @p n bytes; @return the events, counted into ev[UPW_MORE..UPW_DAMAGED]. */
static void feed(struct upw_parser *p, const uint8_t *b, size_t n, unsigned ev[3])
{
    for (size_t i = 0; i < n; i++) {
        ev[upw_feed(p, b[i])]++;
    }
}

static void crc32_of_the_check_string(void **state)
{
    (void)state;
    /* The CRC-32 catalogue's check value. */
    assert_int_equal(upw_crc32(0, "123456789", 9), 0xCBF43926u);
    /* In pieces, the same. */
    assert_int_equal(upw_crc32(upw_crc32(0, "1234", 4), "56789", 5), 0xCBF43926u);
}

static void a_frame_round_trips(void **state)
{
    (void)state;
    uint8_t payload[UPW_PAYLOAD_MAX], frame[UPW_FRAME_MAX];
    for (size_t i = 0; i < sizeof(payload); i++) {
        payload[i] = (uint8_t)(i * 7u);
    }
    size_t n = upw_encode(frame, UPW_WRITE, 42, payload, sizeof(payload));
    assert_int_equal(n, UPW_FRAME_MAX);
    struct upw_parser p;
    upw_reset(&p);
    unsigned ev[3] = {0};
    /* Noise before it, even a lone sync byte, is skipped. */
    const uint8_t noise[] = {0x00, 'C', 'x', 0xFF, 'U'};
    feed(&p, noise, sizeof(noise), ev);
    feed(&p, frame, n, ev);
    assert_int_equal(ev[UPW_FRAME], 1);
    assert_int_equal(ev[UPW_DAMAGED], 0);
    assert_int_equal(p.type, UPW_WRITE);
    assert_int_equal(p.seq, 42);
    assert_int_equal(p.len, sizeof(payload));
    assert_memory_equal(upw_payload(&p), payload, sizeof(payload));
    /* An empty payload too, right after a 'C'. */
    n = upw_encode(frame, UPW_BADFRAME, 0, NULL, 0);
    assert_int_equal(n, UPW_HEAD + UPW_TAIL);
    feed(&p, (const uint8_t *)"C", 1, ev);
    feed(&p, frame, n, ev);
    assert_int_equal(ev[UPW_FRAME], 2);
    assert_int_equal(p.type, UPW_BADFRAME);
    assert_int_equal(p.len, 0);
}

static void a_damaged_frame_is_reported_and_the_next_one_parses(void **state)
{
    (void)state;
    uint8_t frame[UPW_FRAME_MAX];
    size_t n = upw_encode(frame, UPW_COMMIT, 7, "\1\0\0\0", 4);
    struct upw_parser p;
    upw_reset(&p);
    unsigned ev[3] = {0};
    for (size_t i = 2; i < n; i++) { /* every byte after the sync, one at a time */
        frame[i] ^= 0x10u;
        feed(&p, frame, n, ev);
        frame[i] ^= 0x10u;
        /* A corrupted length may swallow what follows: resends end it. */
        for (int resend = 0; resend < 3 && ev[UPW_DAMAGED] == 0; resend++) {
            feed(&p, frame, n, ev);
        }
        assert_true(ev[UPW_DAMAGED] >= 1);
        if (i != 4) { /* (after a shortened length, the last resend may parse: it is whole) */
            assert_int_equal(ev[UPW_FRAME], 0);
        }
        upw_reset(&p);
        memset(ev, 0, sizeof(ev));
    }
    feed(&p, frame, n, ev);
    assert_int_equal(ev[UPW_FRAME], 1);
    assert_int_equal(upw_get32(upw_payload(&p)), 1);
}

static void a_length_beyond_the_largest_payload_is_damaged(void **state)
{
    (void)state;
    const uint8_t head[] = {'C', 'U', UPW_WRITE, 1, (uint8_t)(UPW_PAYLOAD_MAX + 1u),
                            (uint8_t)((UPW_PAYLOAD_MAX + 1u) >> 8)};
    struct upw_parser p;
    upw_reset(&p);
    unsigned ev[3] = {0};
    feed(&p, head, sizeof(head), ev);
    assert_int_equal(ev[UPW_DAMAGED], 1);
    assert_int_equal(p.got, 0);
    uint8_t out[UPW_FRAME_MAX + 1];
    assert_int_equal(upw_encode(out, UPW_WRITE, 0, out, UPW_PAYLOAD_MAX + 1u), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(crc32_of_the_check_string),
        cmocka_unit_test(a_frame_round_trips),
        cmocka_unit_test(a_damaged_frame_is_reported_and_the_next_one_parses),
        cmocka_unit_test(a_length_beyond_the_largest_payload_is_damaged),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
