/* The kernel trace's ring (kernel/src/trace.c), on the host port with a
 * ring of 8 events: kernel paths record what they do, a full ring keeps
 * the newest events and counts every one, and the dump is what `cmrx
 * trace` reads: the header, the processes, the threads, the records
 * oldest first and a checksum that matches them. */
#include <stdio.h>
#include <string.h>

#include "fixture.h"

/* The dump's records: their bytes, oldest first; @return how many. */
static unsigned records(const char *text, uint8_t rec[][12], unsigned max, uint32_t *sum)
{
    unsigned n = 0;
    *sum = 0;
    for (const char *s = strstr(text, "[cmrx-trace] e "); s != NULL;
         s = strstr(s + 1, "[cmrx-trace] e ")) {
        assert_true(n < max);
        for (unsigned k = 0; k < 12; k++) {
            unsigned v;
            assert_int_equal(sscanf(s + 15 + 2 * k, "%2x", &v), 1);
            rec[n][k] = (uint8_t)v;
        }
        assert_int_equal(s[15 + 24], '\n');
        n++;
    }
    const char *end = strstr(text, "[cmrx-trace] end sum=");
    assert_non_null(end);
    assert_int_equal(sscanf(end, "[cmrx-trace] end sum=%8x\n", sum), 1);
    return n;
}

static uint32_t word(const uint8_t *b)
{
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static void test_kernel_paths_record_their_events(void **state)
{
    (void)state;
    fx_reset();
    fx_boot();
    struct cmrx_thread *t = fx_spawn(FX_BETA, 5);
    fx_run(fx_spawn(FX_ALPHA, 4));
    thread_block(t, CMRX_T_SLEEPING, NULL, CMRX_NO_TIMEOUT);
    thread_wake(t, 42);
    fx_console_len = 0;
    trace_dump();
    uint8_t rec[8][12];
    uint32_t sum;
    unsigned n = records(fx_console, rec, 8, &sum);
    /* Two starts (alpha's thread last but one), then beta's thread woken. */
    assert_true(n >= 3);
    assert_int_equal(rec[n - 1][4], CMRX_TR_WAKE);
    assert_int_equal(rec[n - 1][5], t - cmrx_threads);
    assert_int_equal(word(rec[n - 1] + 8), 42);
    assert_int_equal(rec[n - 2][4], CMRX_TR_START);
    assert_int_equal(rec[n - 2][6], FX_ALPHA);
    assert_int_equal(rec[n - 3][4], CMRX_TR_START);
    assert_int_equal(rec[n - 3][6], FX_BETA);
    /* The processes by index, idle as 255, and each thread in use. */
    assert_non_null(strstr(fx_console, "[cmrx-trace] p 0 alpha\n"));
    assert_non_null(strstr(fx_console, "[cmrx-trace] p 1 beta\n"));
    assert_non_null(strstr(fx_console, "[cmrx-trace] p 255 idle\n"));
    char line[64];
    snprintf(line, sizeof(line), "[cmrx-trace] t %u 1\n", (unsigned)(t - cmrx_threads));
    assert_non_null(strstr(fx_console, line));
    assert_non_null(strstr(fx_console, "[cmrx-trace] t 5 255\n"));
}

static void test_a_full_ring_keeps_the_newest_and_counts_all(void **state)
{
    (void)state;
    fx_reset();
    for (uint32_t i = 0; i < 20; i++) {
        trace_event(CMRX_TR_IRQ, NULL, 0, 0, 100u + i);
    }
    fx_console_len = 0;
    trace_dump();
    assert_non_null(strstr(fx_console, "[cmrx-trace] begin v1 hz=1000000 size=8 written=20 now="));
    uint8_t rec[8][12];
    uint32_t sum;
    assert_int_equal(records(fx_console, rec, 8, &sum), 8);
    uint32_t check = 2166136261u;
    for (unsigned i = 0; i < 8; i++) {
        assert_int_equal(word(rec[i] + 8), 112u + i); /* the last 8, oldest first */
        assert_int_equal(rec[i][4], CMRX_TR_IRQ);
        assert_int_equal(rec[i][5], 0xFF); /* no thread */
        if (i > 0) {
            assert_true(word(rec[i]) > word(rec[i - 1])); /* stamped in order */
        }
        for (unsigned k = 0; k < 12; k++) {
            check = (check ^ rec[i][k]) * 16777619u;
        }
    }
    assert_int_equal(sum, check);
    /* Emptied again, the dump holds no record. */
    fx_reset();
    fx_console_len = 0;
    trace_dump();
    assert_non_null(strstr(fx_console, " size=8 written=0 "));
    assert_int_equal(records(fx_console, rec, 8, &sum), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kernel_paths_record_their_events),
        cmocka_unit_test(test_a_full_ring_keeps_the_newest_and_counts_all),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
