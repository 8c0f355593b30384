/* fs disk-space attack, the filler (unprivileged): writes a file of its
 * own until fs answers FS_ENOSPC, then tries other calls that take
 * blocks. The judge, for which the firmware keeps blocks (fs's `space`),
 * must still append to its log. */
#include "filling.h"

static int filler(void *arg)
{
    (void)arg;
    fill_ready();
    int h = fs_open("/fill", FS_O_WRONLY | FS_O_CREAT | FS_O_TRUNC);
    CHECK(h > 0);
    int rc;
    uint32_t synced = fill_synced(h, &rc);
    fs_close(h);
    cmrx_printf("fs_filler: wrote %u bytes, then %d\n", (unsigned)synced, rc);
    CHECK_EQ(rc, FS_ENOSPC);
    /* What was refused changed nothing: the file holds what was synced. */
    CHECK_EQ(fs_stat("/fill", &info), CMRX_OK);
    CHECK_EQ(info.size, synced);
    /* Other calls that take blocks: each refused while what it may take
     * would reach the kept blocks, and then it changes nothing. */
    h = fs_open("/fill", FS_O_WRONLY);
    CHECK(h > 0);
    int t = fs_truncate(h, synced + 2u * 4096u);
    fs_close(h);
    CHECK_EQ(fs_stat("/fill", &info), CMRX_OK);
    CHECK_EQ(info.size, t == CMRX_OK ? synced + 2u * 4096u : synced);
    int m = fs_mkdir("/fd");
    int r = fs_rename("/fill", "/fill2");
    CHECK_EQ(fs_stat("/fill", &info), r == CMRX_OK ? FS_ENOENT : CMRX_OK);
    /* A new file takes only a commit to its directory: served until the
     * directory's blocks grow that near the kept ones (long names make
     * that come soon). */
    int c;
    unsigned made = fill_files(&c);
    cmrx_printf("fs_filler: then truncate %d, mkdir %d, rename %d; %u files created, then %d\n", t,
                m, r, made, c);
    if (t == FS_ENOSPC && m == FS_ENOSPC && r == FS_ENOSPC && c == FS_ENOSPC) {
        cmrx_printf("fs_filler: every call that takes blocks refused\n");
    }
    CHECK_EQ(fs_remove("/go"), CMRX_OK);
    return 0;
}

CMRX_THREAD(filler, NULL);
