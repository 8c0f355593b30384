/* fs lock tests, the judge (SYSTEM, priority 10) and its busy thread
 * (priority 13, above the clients' work in fs, below their other threads).
 *
 * fs_lockwait: the victim (priority 14) is paused inside fs, holding its
 * lock, when the attacker's thread, blocked on that lock, is killed. The
 * judge then calls fs: with the lock intact the call waits until the
 * victim is done, after the busy thread stops; served earlier, fs ran two
 * callers at once in littlefs.
 *
 * fs_lockstop: the attacker's own thread (priority 14) is paused inside fs
 * holding the lock when its process dies; it cannot return within the
 * kernel's grace and is stopped there, the lock still held. The judge then
 * calls fs: the call must be served (fs drops what the stopped call left
 * half-done and mounts again), not hang every client for good. */
#include "check.h"
#include "fs.h"
#include "fs_lock.h"

static CMRX_SHARED uint8_t buf[64];
static volatile int spin_done;
static volatile int probe_done;

static int spinner(void *arg)
{
    (void)arg;
    sleep_until_ms(T_SPIN);
    while (cmrx_time_us() < T_SPIN_END * MS) {
    }
    spin_done = 1;
    return 0;
}

/* A hung fs cannot be judged from the thread stuck in it. */
static int watchdog(void *arg)
{
    (void)arg;
    cmrx_usleep(3000000);
    if (!probe_done) {
        cmrx_printf(
            "ATTACK SUCCEEDED: fs serves nobody: a stopped client's thread holds its lock\n");
        cmrx_shutdown(1);
    }
    return 0;
}

static int judge(void *arg)
{
    (void)arg;
    CHECK_EQ(fs_format(FS_FORMAT_CONFIRM), CMRX_OK);
    /* A synced file of the judge's: it must survive whatever fs does. */
    int h = fs_open("judge", FS_O_RDWR | FS_O_CREAT);
    CHECK(h > 0);
    for (unsigned i = 0; i < sizeof(buf); i++) {
        buf[i] = (uint8_t)(i * 7u + 1u);
    }
    CHECK_EQ(fs_write(h, buf, sizeof(buf)), (int)sizeof(buf));
    CHECK_EQ(fs_sync(h), CMRX_OK);
    CHECK(cmrx_thread_create(spinner, NULL, 13) >= 0);
    CHECK(cmrx_thread_create(watchdog, NULL, 9) >= 0);

    sleep_until_ms(T_PROBE);
    CHECK_EQ(cmrx_process_control(PID_ATTACKER, CMRX_PROC_STATE), 1);
    struct fs_statfs st;
    int rc = fs_statfs(&st);
    probe_done = 1;
#ifndef FS_LOCK_STOP
    if (!spin_done) {
        cmrx_printf("ATTACK SUCCEEDED: fs served a call while the victim held its lock (%d)\n", rc);
        cmrx_shutdown(1);
    }
    CHECK_EQ(rc, CMRX_OK);
    CHECK_EQ(st.mounts, 1);
    CHECK_EQ(fs_seek(h, 0, FS_SEEK_SET), 0);
    cmrx_printf("fs_lkj: the lock held: served after the victim's call\n");
#else
    CHECK_EQ(rc, CMRX_OK);
    CHECK_EQ(st.mounts, 2); /* mounted again: the stopped call's state is gone */
    CHECK_EQ(fs_seek(h, 0, FS_SEEK_SET), FS_ESTALE);
    CHECK_EQ(fs_close(h), FS_ESTALE);
    h = fs_open("judge", FS_O_RDONLY);
    CHECK(h > 0);
    cmrx_printf("fs_lkj: fs recovered from the stopped holder\n");
#endif
    for (unsigned i = 0; i < sizeof(buf); i++) {
        buf[i] = 0;
    }
    CHECK_EQ(fs_read(h, buf, sizeof(buf)), (int)sizeof(buf));
    for (unsigned i = 0; i < sizeof(buf); i++) {
        CHECK_EQ(buf[i], (uint8_t)(i * 7u + 1u));
    }
    CHECK_EQ(fs_close(h), CMRX_OK);
    /* Every handle free again but the victim's (it is alive): none lost. */
#ifndef FS_LOCK_STOP
    const unsigned n = FS_OPEN_MAX - 1u;
#else
    const unsigned n = FS_OPEN_MAX;
#endif
    int hs[FS_OPEN_MAX];
    for (unsigned i = 0; i < n; i++) {
        hs[i] = fs_opendir("/");
        CHECK(hs[i] > 0);
    }
    CHECK_EQ(fs_opendir("/"), FS_EMFILE);
    for (unsigned i = 0; i < n; i++) {
        CHECK_EQ(fs_close(hs[i]), CMRX_OK);
    }
    PASS();
    return 0;
}

CMRX_THREAD(judge, NULL);
