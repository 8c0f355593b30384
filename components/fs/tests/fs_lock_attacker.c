/* fs lock tests, the attacker (priority 12, policy kill-process): an
 * unprivileged client that dies while its thread is inside fs, by a fault
 * of its own other thread.
 *
 * fs_lockwait: its thread calls fs straight (no client library) while the
 * victim holds the lock, and is blocked there when the process dies.
 * fs_lockstop: its thread (priority 14) writes and writes, so that it is
 * inside fs holding the lock when the judge's busy thread pauses it. */
#include "check.h"
#include "fs.h"
#include "fs_lock.h"

#ifdef FS_LOCK_STOP
static CMRX_SHARED uint8_t data[2048];

static int writer(void *arg)
{
    (void)arg;
    return write_forever("a", data, sizeof(data));
}
#else
static CMRX_SHARED char path[4] = "/";
static CMRX_SHARED struct fs_info info;

static int waiter(void *arg)
{
    (void)arg;
    sleep_until_ms(T_BLOCK);
    int rc = cmrx_rpc_call(&fs_service, stat, path, &info);
    /* Dead by now if it was blocked as planned. */
    cmrx_printf("fs_lka: SETUP FAILED: not blocked (%d)\n", rc);
    return 0;
}
#endif

static int main_thread(void *arg)
{
    (void)arg;
#ifdef FS_LOCK_STOP
    CHECK(cmrx_thread_create(writer, NULL, 14) >= 0);
#else
    CHECK(cmrx_thread_create(waiter, NULL, 12) >= 0);
#endif
    sleep_until_ms(T_KILL);
    volatile uint32_t *volatile bad = NULL;
    *bad = 1; /* the process dies: its policy is kill-process */
    return 0;
}

CMRX_THREAD(main_thread, NULL);
