/* fs open-files attack, the judge (SYSTEM, to format and end the test):
 * once the hoarder holds every handle it can, opens a file of its own,
 * then formats. */
#include "check.h"
#include "fs.h"

static CMRX_SHARED struct fs_info info;

static int hjudge(void *arg)
{
    (void)arg;
    CHECK_EQ(fs_format(FS_FORMAT_CONFIRM), CMRX_OK);
    for (unsigned ms = 0; fs_stat("/hoarded", &info) != CMRX_OK; ms++) {
        if (ms == 3000) {
            CHECK_FAIL_("fs_hjudge: the hoarder never finished");
        }
        cmrx_usleep(1000);
    }
    int h = fs_open("/judge", FS_O_RDWR | FS_O_CREAT);
    if (h == FS_EMFILE) {
        cmrx_printf("ATTACK SUCCEEDED: the hoarder left the judge no file handle\n");
    }
    CHECK(h > 0);
    CHECK_EQ(fs_close(h), CMRX_OK);
    cmrx_printf("fs_hjudge: opened a file while the hoarder held the rest\n");
    /* The hoarder's open files must not keep the disk from a format. */
    int rc = fs_format(FS_FORMAT_CONFIRM);
    if (rc == CMRX_EBUSY) {
        cmrx_printf("ATTACK SUCCEEDED: the hoarder's open files kept the judge from formatting\n");
    }
    CHECK_EQ(rc, CMRX_OK);
    CHECK_EQ(fs_stat("/hoarded", &info), FS_ENOENT);
    cmrx_printf("fs_hjudge: formatted while the hoarder held its files\n");
    PASS();
    return 0;
}

CMRX_THREAD(hjudge, NULL);
