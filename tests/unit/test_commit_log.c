/* The commit log (kernel/src/commit_log.c) on a fake NOR flash of two
 * 256-byte units (32 entries each): which slot it names after a reboot,
 * compaction when a unit fills, entries cut short or damaged, a failing
 * controller, and a power cut at every flash operation of a long run of
 * commits: after each, a reboot names for every process either its slot
 * before the interrupted commit or the one committed, and never loses
 * another process's slot. The file is included so that a test can reboot
 * (forget what the kernel read). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../kernel/src/commit_log.c"

#define UNIT 256u

static _Alignas(256) uint8_t flash[2u * UNIT];
const struct cmrx_commit_log cmrx_commit_log = {(uintptr_t)flash, UNIT};

/* Processes 0 and 2 are updatable, 1 is not. */
static const struct cmrx_update_decl decl;
static struct cmrx_process_state states[3];
const struct cmrx_process cmrx_processes[3] = {
    {.name = "a", .state = &states[0], .update = &decl},
    {.name = "b", .state = &states[1]},
    {.name = "c", .state = &states[2], .update = &decl},
};
const uint8_t cmrx_process_count = 3;

/* The fake controller: counts operations; at operation `cut` (if not 0)
 * the power goes, leaving that operation half done. */
static struct {
    unsigned ops, cut;
    int32_t fail; /* an error every operation returns (CMRX_OK: none) */
    jmp_buf power;
} ctl;

int32_t bsp_flash_erase(uintptr_t addr)
{
    uint8_t *u = (uint8_t *)(addr & ~(uintptr_t)(UNIT - 1u));
    assert_true(u == flash || u == flash + UNIT);
    if (++ctl.ops == ctl.cut) {
        memset(u, 0xFF, UNIT / 2u); /* half erased; the rest as it was */
        longjmp(ctl.power, 1);
    }
    if (ctl.fail != CMRX_OK) {
        return ctl.fail;
    }
    memset(u, 0xFF, UNIT);
    return CMRX_OK;
}

int32_t bsp_flash_program(uintptr_t addr, const void *src, size_t len)
{
    uint8_t *d = (uint8_t *)addr;
    const uint8_t *s = src;
    assert_true(d >= flash && d + len <= flash + sizeof(flash) && len == 8u);
    for (size_t i = 0; i < len; i++) {
        assert_int_equal(d[i], 0xFF); /* never programmed twice */
    }
    if (++ctl.ops == ctl.cut) {
        /* Cut short: the sequence number in, the tag's bits half cleared. */
        memcpy(d, s, 4);
        for (size_t i = 4; i < len; i++) {
            d[i] &= (uint8_t)(s[i] | 0x55u);
        }
        longjmp(ctl.power, 1);
    }
    if (ctl.fail != CMRX_OK) {
        d[0] &= s[0]; /* the controller stopped after a byte */
        return ctl.fail;
    }
    for (size_t i = 0; i < len; i++) {
        d[i] &= s[i];
    }
    return CMRX_OK;
}

/* A reset: RAM forgotten, the log read again at the first call. */
static void reboot(void)
{
    memset(&journal, 0, sizeof(journal));
    memset(states, 0, sizeof(states));
}

static unsigned slot_of(unsigned pid)
{
    return commit_log_slot(&cmrx_processes[pid]);
}

static int setup(void **state)
{
    (void)state;
    memset(flash, 0xFF, sizeof(flash));
    memset(&ctl, 0, sizeof(ctl));
    reboot();
    return 0;
}

static void empty_log_names_slot_a(void **state)
{
    (void)state;
    assert_int_equal(slot_of(0), 0);
    assert_int_equal(slot_of(2), 0);
    memset(flash, 0, sizeof(flash)); /* zeros are no entries either */
    reboot();
    assert_int_equal(slot_of(0), 0);
    assert_int_equal(slot_of(2), 0);
}

static void an_entry_survives_a_reboot(void **state)
{
    (void)state;
    assert_int_equal(commit_log_append(&cmrx_processes[2], 1), CMRX_OK);
    assert_int_equal(slot_of(2), 1);
    reboot();
    assert_int_equal(slot_of(2), 1);
    assert_int_equal(slot_of(0), 0);
    /* The layout tools rely on (update.cmake's PROC_LOG_B). */
    const struct cmrx_log_entry *e = (const struct cmrx_log_entry *)(void *)flash;
    assert_int_equal(e->seq, 1);
    assert_int_equal(e->tag, CMRX_LOG_TAG(2, 1));
    assert_int_equal(commit_log_append(&cmrx_processes[1], 1), CMRX_EINVAL); /* not updatable */
}

/* 100 commits: the units fill and are compacted in turn; each reboot
 * reads what the last commit of each process named. */
static void compaction_keeps_every_slot(void **state)
{
    (void)state;
    unsigned want[3] = {0, 0, 0};
    for (unsigned i = 0; i < 100u; i++) {
        unsigned pid = i % 3u == 0 ? 0u : 2u, slot = (i / 3u) & 1u;
        assert_int_equal(commit_log_append(&cmrx_processes[pid], slot), CMRX_OK);
        want[pid] = slot;
        reboot();
        assert_int_equal(slot_of(0), want[0]);
        assert_int_equal(slot_of(2), want[2]);
    }
    assert_true(ctl.ops > 100u); /* erases happened */
    /* A process that commits nothing more keeps its slot through them. */
    assert_int_equal(commit_log_append(&cmrx_processes[0], 1), CMRX_OK);
    for (unsigned i = 0; i < 70u; i++) {
        assert_int_equal(commit_log_append(&cmrx_processes[2], i & 1u), CMRX_OK);
    }
    reboot();
    assert_int_equal(slot_of(0), 1);
    assert_int_equal(slot_of(2), 1);
}

/* An entry cut short at the end of the log is skipped, and the next one
 * goes after it, not over it (the fake refuses to program twice). */
static void torn_entry_is_skipped(void **state)
{
    (void)state;
    assert_int_equal(commit_log_append(&cmrx_processes[0], 1), CMRX_OK);
    ctl.cut = ctl.ops + 1u;
    if (setjmp(ctl.power) == 0) {
        (void)commit_log_append(&cmrx_processes[0], 0);
        fail();
    }
    ctl.cut = 0;
    reboot();
    assert_int_equal(slot_of(0), 1); /* the torn entry does not count */
    assert_int_equal(commit_log_append(&cmrx_processes[0], 0), CMRX_OK);
    reboot();
    assert_int_equal(slot_of(0), 0);
}

/* A controller error: the commit fails and nothing changes; the place it
 * spoiled is not used again. */
static void controller_error_changes_nothing(void **state)
{
    (void)state;
    assert_int_equal(commit_log_append(&cmrx_processes[2], 1), CMRX_OK);
    ctl.fail = CMRX_EIO;
    assert_int_equal(commit_log_append(&cmrx_processes[2], 0), CMRX_EIO);
    assert_int_equal(slot_of(2), 1);
    ctl.fail = CMRX_OK;
    assert_int_equal(commit_log_append(&cmrx_processes[2], 0), CMRX_OK);
    reboot();
    assert_int_equal(slot_of(2), 0);
}

/* A long run of commits with the power cut at flash operation k, for every
 * k: the reboot names, for the process being committed, its old or its
 * new slot, and for the other, its slot. The run then goes on from there. */
#define RUN 100u /* commits in a run: three compactions */

static void commit_run(unsigned from, volatile unsigned *i, volatile unsigned *want)
{
    for (*i = from; *i < RUN; (*i)++) {
        unsigned pid = *i % 3u == 0 ? 0u : 2u, slot = (*i / 3u) & 1u;
        assert_int_equal(commit_log_append(&cmrx_processes[pid], slot), CMRX_OK);
        want[pid] = slot;
    }
}

static void power_cut_at_every_operation(void **state)
{
    (void)state;
    volatile unsigned want[3] = {0, 0, 0};
    volatile unsigned i = 0;
    commit_run(0, &i, want); /* uncut: how many operations a run takes */
    unsigned ops = ctl.ops, cuts = 0;
    for (unsigned k = 1; k <= ops; k++) {
        memset(flash, 0xFF, sizeof(flash));
        memset(&ctl, 0, sizeof(ctl));
        reboot();
        want[0] = want[2] = 0;
        ctl.cut = k;
        if (setjmp(ctl.power) == 0) {
            commit_run(0, &i, want);
            fail(); /* the cut came */
        }
        unsigned pid = i % 3u == 0 ? 0u : 2u, slot = (i / 3u) & 1u;
        ctl.cut = 0;
        reboot();
        unsigned got = slot_of(pid);
        assert_true(got == want[pid] || got == slot);
        assert_int_equal(slot_of(2u - pid), want[2u - pid]);
        /* Commits still work after the reboot, from where the run was. */
        commit_run(i, &i, want);
        reboot();
        assert_int_equal(slot_of(0), want[0]);
        assert_int_equal(slot_of(2), want[2]);
        cuts++;
    }
    assert_int_equal(cuts, ops);
    assert_true(ops >= RUN + 6u); /* three compactions (an erase and a copy each) among them */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(empty_log_names_slot_a, setup),
        cmocka_unit_test_setup(an_entry_survives_a_reboot, setup),
        cmocka_unit_test_setup(compaction_keeps_every_slot, setup),
        cmocka_unit_test_setup(torn_entry_is_skipped, setup),
        cmocka_unit_test_setup(controller_error_changes_nothing, setup),
        cmocka_unit_test_setup(power_cut_at_every_operation, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
