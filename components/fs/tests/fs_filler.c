/* fs disk-space attack, the filler (unprivileged): writes a file of its
 * own until fs answers FS_ENOSPC, then tries other calls that take
 * blocks. The judge, for which the firmware keeps blocks (fs's `space`),
 * must still append to its log. */
#include "check.h"
#include "fs.h"

#define CHUNK 1024u

static CMRX_SHARED uint8_t buf[CHUNK];
static CMRX_SHARED struct fs_info info;

static int filler(void *arg)
{
    (void)arg;
    for (unsigned i = 0; i < CHUNK; i++) {
        buf[i] = (uint8_t)i;
    }
    while (fs_stat("/go", &info) != CMRX_OK) {
        cmrx_usleep(1000);
    }
    /* A chunk and a sync at a time, so that what fills the disk is kept. */
    int h = fs_open("/fill", FS_O_WRONLY | FS_O_CREAT | FS_O_TRUNC);
    CHECK(h > 0);
    uint32_t synced = 0;
    int rc;
    for (;;) {
        rc = fs_write(h, buf, CHUNK);
        if (rc == (int)CHUNK) {
            rc = fs_sync(h);
        }
        if (rc != CMRX_OK) {
            break;
        }
        synced += CHUNK;
    }
    fs_close(h);
    cmrx_printf("fs_filler: wrote %u bytes, then %d\n", (unsigned)synced, rc);
    CHECK_EQ(rc, FS_ENOSPC);
    /* What was refused changed nothing: the file holds what was synced. */
    CHECK_EQ(fs_stat("/fill", &info), CMRX_OK);
    CHECK_EQ(info.size, synced);
    /* Other calls that take blocks. */
    h = fs_open("/fill", FS_O_WRONLY);
    CHECK(h > 0);
    int t = fs_truncate(h, synced + 2u * 4096u);
    fs_close(h);
    CHECK_EQ(fs_stat("/fill", &info), CMRX_OK);
    CHECK_EQ(info.size, t == CMRX_OK ? synced + 2u * 4096u : synced);
    int m = fs_mkdir("/fd");
    int c = fs_open("/fnew", FS_O_WRONLY | FS_O_CREAT);
    if (c > 0) {
        fs_close(c);
    }
    cmrx_printf("fs_filler: then truncate %d, mkdir %d, create %d\n", t, m, c);
    if (t == FS_ENOSPC && m == FS_ENOSPC && c == FS_ENOSPC) {
        cmrx_printf("fs_filler: every call that takes blocks refused\n");
    }
    CHECK_EQ(fs_remove("/go"), CMRX_OK);
    return 0;
}

CMRX_THREAD(filler, NULL);
