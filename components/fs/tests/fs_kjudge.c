/* fs kept-directory test, the judge (SYSTEM, allowed to format): formats,
 * waits for the thief's attacks, restarts the keeper, which checks its
 * files and its own calls, and tries the keeper's file itself: being
 * SYSTEM gives no right to another process's directory. */
#include "check.h"
#include "fs.h"
#include "fs_keep.h"

static CMRX_SHARED struct fs_info info;

/* Wait up to 3 s for public file @p path. */
static void wait_for(const char *path)
{
    for (unsigned ms = 0; fs_stat(path, &info) != CMRX_OK; ms++) {
        if (ms == 3000) {
            CHECK_FAIL_("fs_kjudge: no %s after 3 s", path);
        }
        cmrx_usleep(1000);
    }
}

static int kjudge(void *arg)
{
    (void)arg;
    CHECK_EQ(fs_format(FS_FORMAT_CONFIRM), CMRX_OK);
    wait_for(MARK_DONE);
    int keeper = cmrx_process_find("fs_keeper");
    CHECK(keeper >= 0);
    CHECK_EQ(cmrx_process_control((unsigned)keeper, CMRX_PROC_RESTART), CMRX_OK);
    wait_for(MARK_OK);
    int h = fs_open("/vault/secret", FS_O_RDONLY);
    if (h > 0) {
        cmrx_printf("ATTACK SUCCEEDED: the SYSTEM judge opened /vault/secret\n");
    }
    CHECK_EQ(h, CMRX_EPERM);
    cmrx_printf("fs_kjudge: the keeper's directory is its own\n");
    PASS();
    return 0;
}

CMRX_THREAD(kjudge, NULL);
