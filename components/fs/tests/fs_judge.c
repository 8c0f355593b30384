/* fs fault test, the judge: formats the device, lets the writer fault with
 * its file open, and checks that the file system goes on serving it, that
 * the writer's file is consistent (every synced record there, intact) and
 * its handle closed; then makes the fs process itself fault in a call:
 * the call fails, the kernel restarts fs, which mounts again, and the
 * judge's handle from before is stale until it opens the file again. */
#include "check.h"
#include "fs.h"
#include "fs_test.h"

#define PID_WRITER 1 /* the order of the firmware's processes */

static CMRX_SHARED struct rec r;
static CMRX_SHARED uint8_t buf[8];

static void check_log(uint32_t at_least)
{
    int h = fs_open("w.log", FS_O_RDONLY);
    CHECK(h > 0);
    uint32_t n = 0;
    int rc;
    while ((rc = fs_read(h, &r, sizeof(r))) == (int)sizeof(r)) {
        CHECK(rec_ok(&r, n));
        n++;
    }
    CHECK_EQ(rc, 0);
    CHECK(n >= at_least && n <= WRITER_SYNCED + 3);
    CHECK_EQ(fs_close(h), CMRX_OK);
    cmrx_printf("fs_judge: w.log holds %u intact records\n", (unsigned)n);
}

static int judge(void *arg)
{
    (void)arg;
    CHECK_EQ(fs_format(FS_FORMAT_CONFIRM), CMRX_OK);
    while (cmrx_process_control(PID_WRITER, CMRX_PROC_STATE) == 0) {
        cmrx_usleep(1000);
    }
    cmrx_printf("fs_judge: the writer is dead\n");
    check_log(WRITER_SYNCED);
    /* Its handle was closed: every handle can be opened. */
    int hs[FS_OPEN_MAX];
    for (unsigned i = 0; i < FS_OPEN_MAX; i++) {
        hs[i] = fs_opendir("/");
        CHECK(hs[i] > 0);
    }
    for (unsigned i = 0; i < FS_OPEN_MAX; i++) {
        CHECK_EQ(fs_close(hs[i]), CMRX_OK);
    }

    /* The fs process faults in the middle of a call. */
    int h = fs_open("w.log", FS_O_RDONLY);
    CHECK(h > 0);
    CHECK_EQ(
        _cmrx_rpc_call(&fs_service, sizeof(struct fs_vtable) / sizeof(void (*)(void)), 0, 0, 0, 0),
        CMRX_ERPC_FAULT);
    CHECK_EQ(fs_read(h, buf, sizeof(buf)), FS_ESTALE);
    CHECK_EQ(fs_close(h), FS_ESTALE);
    struct fs_statfs st;
    CHECK_EQ(fs_statfs(&st), CMRX_OK);
    CHECK_EQ(st.mounts, 2);
    check_log(WRITER_SYNCED);
    cmrx_printf("fs_judge: fs restarted, mounted again, clients reopen\n");
    PASS();
    return 0;
}

CMRX_THREAD(judge, NULL);
