/* Live-update benchmark (scripts/bench-update.sh): what replacing one
 * process costs, in instructions of the calibrated clock (../clock.h).
 * The controller (SYSTEM, UPDATER) stages version 2 of the service, which
 * QEMU loads at UPD_STORE, and commits it; a client thread of its own calls
 * the service without pause from the commit's return until version 2
 * answers. Measured:
 *  - staging: one cmrx_update_write() of a 256-byte chunk (the second:
 *    whole, and it erases its erase unit first, as every chunk does);
 *  - the commit call, on a quiet system (the idle thread verifies) and on a
 *    busy one (a spinning thread: the kernel verifies a slice per tick);
 *  - unavailability: from the old version's last answer to the new one's
 *    first, as the client sees them;
 *  - from the last byte staged to the new version's first answer.
 * Every time is read by a stamp function (STAMP below) whose first
 * instruction is a marker of scripts/profile.py: the same firmware traced
 * with -singlestep counts the same intervals, from stamp to stamp
 * (scripts/bench-update.sh compares both counters). */
#include <string.h>

#include <cmrx/cmrx.h>
#include <cmrx/update.h>

#include "../clock.h"
#include "svc.h"

#define STORE ((const struct cmrx_image *)UPD_STORE)

static volatile uint32_t want;     /* the version the client waits for; 0: idle */
static volatile uint32_t spinning; /* the spinner runs while 1 */
static volatile uint32_t t_last_old, t_first_new;

#define STR_(x) #x
#define STR(x)  STR_(x)
/* A stamp: the clock (now()) read by a function of its own, whose name is
 * a trace marker (scripts/profile.py --marker). Every stamp is the same 5
 * instructions, the clock's read the third: from one stamp's first
 * instruction to another's is as many instructions as from one read of
 * the clock to the other. Naked and in assembly: the compiler cannot fold
 * the stamps into one function (-Os merges identical functions) nor
 * shape them differently. */
#define STAMP(name)                                                                  \
    __attribute__((naked, noinline)) static uint32_t name(void)                      \
    {                                                                                \
        __asm volatile("movw r0, #:lower16:(" STR(TIMER0_ADDR) " + 0x1004)\n\t"      \
                       "movt r0, #:upper16:(" STR(TIMER0_ADDR) " + 0x1004)\n\t"      \
                       "ldr r0, [r0]\n\t"                                            \
                       "mvns r0, r0\n\t"                                             \
                       "bx lr\n\t");                                                 \
    }
STAMP(stamp_stage_begin)  /* before a chunk's cmrx_update_write() */
STAMP(stamp_stage_end)    /* after it */
STAMP(stamp_commit_begin) /* before cmrx_update_commit() */
STAMP(stamp_commit_end)   /* after it */
STAMP(stamp_old)          /* the client: an answer of the old version */
STAMP(stamp_new)          /* the client: the new version's first answer */

static int client(void *arg)
{
    (void)arg;
    for (;;) {
        while (want == 0) {
            cmrx_wait(&want, 0, CMRX_FOREVER);
        }
        int v = cmrx_rpc_call(&bsvc_service, version);
        if (v == (int)want) {
            t_first_new = stamp_new();
            want = 0;
            cmrx_notify(&want, 1);
        } else if (v > 0) {
            t_last_old = stamp_old();
        }
    }
    return 0;
}

static int spinner(void *arg)
{
    (void)arg;
    for (;;) {
        while (spinning == 0) {
            cmrx_wait(&spinning, 0, CMRX_FOREVER);
        }
        while (spinning != 0) {
        }
    }
    return 0;
}

static void row(const char *what, uint32_t counts)
{
    cmrx_printf("| %-44s | %10lu |\n", what, (unsigned long)insns(counts));
}

/* Commit (flags), then have the client call until @p version answers. */
static void switch_to(unsigned pid, unsigned flags, uint32_t version, const char *how)
{
    uint32_t t0 = stamp_commit_begin();
    int rc = cmrx_update_commit(pid, flags);
    uint32_t t1 = stamp_commit_end();
    if (rc != CMRX_OK) {
        cmrx_printf("BENCH ERROR: commit %d\n", rc);
        cmrx_shutdown(1);
    }
    t_last_old = t1;
    want = version;
    cmrx_notify(&want, 1);
    while (want != 0) {
        cmrx_wait(&want, version, CMRX_FOREVER);
    }
    if (how != NULL) {
        char what[64];
        cmrx_format(what, sizeof(what), "commit call, %s system", how);
        row(what, t1 - t0);
        cmrx_format(what, sizeof(what), "unavailable (last old to first new), %s", how);
        row(what, t_first_new - t_last_old);
        cmrx_format(what, sizeof(what), "last byte staged to first new answer, %s", how);
        row(what, t_first_new - t0);
    }
}

static int ctl_main(void *arg)
{
    (void)arg;
    clock_start();
    struct cmrx_update_info info;
    unsigned pid = 0;
    while (cmrx_update_info(pid, &info) == CMRX_OK && strcmp(info.name, "svc") != 0) {
        pid++;
    }
    uint32_t size = STORE->size, chunks = (size + 255u) / 256u;
    cmrx_printf("bench: image of %lu bytes (%lu chunks), slots of %lu bytes\n",
                (unsigned long)size, (unsigned long)chunks, (unsigned long)info.slot_size);
    /* The clock's rate: the figures' tolerance (scripts/bench-update.sh). */
    cmrx_printf("bench: clock %lu/1024 instructions per count\n",
                (unsigned long)insn_per_count_q10);
    cmrx_printf("| %-44s | %10s |\n|---|---|\n", "update step", "instr.");
    uint32_t second = 0;
    for (uint32_t off = 0; off < size; off += 256u) {
        uint32_t n = size - off < 256u ? size - off : 256u;
        uint32_t t0 = stamp_stage_begin();
        int rc = cmrx_update_write(pid, off, (const uint8_t *)STORE + off, n);
        uint32_t t1 = stamp_stage_end();
        if (rc != CMRX_OK) {
            cmrx_printf("BENCH ERROR: staging\n");
            cmrx_shutdown(1);
        }
        if (off == 256u) {
            second = t1 - t0;
        }
    }
    row("staging one 256-byte chunk (the second)", second);
    switch_to(pid, 0, 2, "quiet");
    switch_to(pid, CMRX_UPDATE_FORCE, 1, NULL); /* back: slot A holds version 1 */
    spinning = 1;
    cmrx_notify(&spinning, 1);
    switch_to(pid, 0, 2, "busy");
    spinning = 0;
    cmrx_printf("bench: done\n");
    cmrx_shutdown(0);
    return 0;
}

CMRX_THREAD(ctl_main, NULL);
CMRX_THREAD(client, NULL);
CMRX_THREAD(spinner, NULL);
