/* A caller that does not pause while its service is switched, back and
 * forth. Each commit is verified while the caller is parked (the idle
 * thread verifies: quick); from its return the caller calls without
 * pause, so the processor is never idle and the switch, the step after
 * the commit record, runs at a tick, most often while the caller is
 * inside the service. The switch unwinds the calls in flight into the old
 * version; the running thread's registers are live at a tick, so it must
 * unwind that one only where they are saved (PendSV), or the thread
 * resumes inside the version that is gone (it did: a jump to address 0).
 * Every call answers 1, 2 or CMRX_ERPC_DEAD, none faults, and the caller
 * still runs at the end. The 40 commits fill the commit log's unit (32
 * entries of 8 bytes on these boards), so the kernel compacts it into the
 * other on the way (commit_log.c). */
#include <string.h>

#include "check.h"
#include "upd.h"

static volatile uint32_t answers[3], dead, others;
static volatile uint32_t go; /* the caller calls while 1 */

static int caller(void *arg)
{
    (void)arg;
    for (;;) {
        while (go == 0) {
            cmrx_wait(&go, 0, CMRX_FOREVER);
        }
        int v = cmrx_rpc_call(&upd_service, version);
        if (v == 1 || v == 2) {
            answers[v]++;
        } else if (v == CMRX_ERPC_DEAD) {
            dead++;
        } else {
            others++;
        }
    }
    return 0;
}

/* Commit (flags) with the caller parked, then let it call until version
 * @p v runs (the switch done). */
static void switch_to(unsigned pid, unsigned flags, uint32_t v)
{
    go = 0;
    CHECK_EQ(cmrx_update_commit(pid, flags), CMRX_OK);
    go = 1;
    cmrx_notify(&go, 1);
    struct cmrx_update_info info;
    do {
        cmrx_usleep(1000);
        CHECK_EQ(cmrx_update_info(pid, &info), CMRX_OK);
    } while (info.busy || info.version != v);
}

static int main_thread(void *arg)
{
    (void)arg;
    struct cmrx_update_info info;
    unsigned pid = 0;
    while (cmrx_update_info(pid, &info) == CMRX_OK && strcmp(info.name, "upd_svc") != 0) {
        pid++;
    }
    const struct cmrx_image *v2 = (const struct cmrx_image *)UPD_STORE;
    CHECK_EQ(cmrx_update_write(pid, 0, v2, v2->size), CMRX_OK);
    CHECK_EQ(cmrx_thread_create(caller, NULL, 14), 257);
    for (unsigned i = 0; i < 20; i++) {
        switch_to(pid, 0, 2);                 /* slot B: version 2 */
        switch_to(pid, CMRX_UPDATE_FORCE, 1); /* slot A: version 1 */
    }
    uint32_t before = answers[1];
    cmrx_usleep(5000);
    CHECK(answers[1] > before); /* the caller still runs */
    CHECK_EQ(others, 0);
    CHECK(answers[2] > 0);
    cmrx_printf("upd_busy: 40 switches under a caller that never paused: %lu answers of "
                "version 1, %lu of version 2, %lu refused\n",
                (unsigned long)answers[1], (unsigned long)answers[2], (unsigned long)dead);
    PASS();
    return 0;
}

CMRX_THREAD(main_thread, NULL);
