/* process_of() (kernel/src/owner.c) over seven processes whose areas lie
 * in an order unlike the process table's, with gaps between them: for
 * every address of the pool and every length up to 12 bytes it must name
 * exactly the process whose area holds the whole range, as a plain scan
 * of the table does, and nobody for a range in a gap, across two areas or
 * beyond the pool. Seven is odd, so the bisection halves unevenly. The
 * file is included: the test gives it a process table of its own. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../../kernel/src/owner.c"

#define N 7u

static uint8_t pool[1024];

/* [start, end) offsets into the pool of each process's RAM and .shared,
 * listed in table order; ordered by address they are 3 0 5 1 6 2 4 (RAM)
 * and 6 4 0 2 5 1 3 (.shared), some adjacent, some with gaps. */
static const uint16_t ram[N][2] = {
    {100, 164}, {300, 332}, {500, 564}, {0, 64}, {700, 800}, {232, 300}, {400, 420},
};
static const uint16_t shr[N][2] = {
    {860, 872}, {940, 960}, {880, 900}, {960, 1000}, {840, 856}, {920, 940}, {820, 832},
};

#define P(i)                                                                                       \
    {                                                                                              \
        .name = #i, .data_start = pool + ram[i][0], .bss_end = pool + ram[i][1],                   \
        .shared_start = pool + shr[i][0], .shared_end = pool + shr[i][1],                          \
        .state = &cmrx_process_state[i]                                                            \
    }
struct cmrx_process_state cmrx_process_state[N];
const struct cmrx_process cmrx_processes[N] = {P(0), P(1), P(2), P(3), P(4), P(5), P(6)};
const uint8_t cmrx_process_count = N;

/* What process_of() must answer, by a scan of every process. */
static const struct cmrx_process *scan(size_t off, size_t len, bool shared)
{
    for (unsigned i = 0; i < N; i++) {
        if (off >= ram[i][0] && off + len <= ram[i][1]) {
            return &cmrx_processes[i];
        }
    }
    for (unsigned i = 0; shared && i < N; i++) {
        if (off >= shr[i][0] && off + len <= shr[i][1]) {
            return &cmrx_processes[i];
        }
    }
    return NULL;
}

static void every_range_is_owned_by_whom_a_scan_says(void **state)
{
    (void)state;
    process_order_init();
    unsigned owned = 0;
    for (size_t off = 0; off < sizeof(pool); off++) {
        for (size_t len = 1; len <= 12 && off + len <= sizeof(pool); len++) {
            for (int s = 0; s < 2; s++) {
                const struct cmrx_process *want = scan(off, len, s != 0);
                assert_ptr_equal(process_of(pool + off, len, s != 0), want);
                owned += want != NULL;
            }
        }
    }
    /* The scan itself found owners (the test tests something). */
    assert_true(owned > 8000u);
}

static void addresses_outside_every_area_have_no_owner(void **state)
{
    (void)state;
    process_order_init();
    assert_null(process_of(pool + sizeof(pool), 4, true));
    assert_null(process_of(pool - 4, 4, true));
    assert_null(process_of(pool + 60, 8, false));                  /* runs past process 3's end */
    assert_null(process_of(pool + 296, 8, false));                 /* spans processes 5 and 1 */
    assert_null(process_of((const void *)(uintptr_t)-2, 4, true)); /* wraps */
    assert_ptr_equal(process_of(pool + 296, 4, false), &cmrx_processes[5]);
    assert_ptr_equal(process_of(pool + 300, 4, false), &cmrx_processes[1]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_range_is_owned_by_whom_a_scan_says),
        cmocka_unit_test(addresses_outside_every_area_have_no_owner),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
