/* fs disk-space attack (unprivileged): blocks only an open handle holds.
 * The filler writes /big until refused. Handle B shortens it by a byte and
 * puts the byte back (no room needed: a shorter file takes nothing): B's
 * new version shares every block of /big. Handle A then truncates /big to
 * nothing and closes. The tree holds an empty /big; the old blocks only
 * B's handle, which littlefs keeps from its allocator. fs must count
 * them (it once counted B from its changed byte only, and let the filler
 * write into what is kept): the logger (fs_sjudge6) must still append 5
 * of its 8 kept blocks. */
#include "filling.h"

static int ghost(void *arg)
{
    (void)arg;
    fill_ready();
    int h = fs_open("/big", FS_O_WRONLY | FS_O_CREAT | FS_O_TRUNC);
    CHECK(h > 0);
    uint32_t big = 0;
    while (fs_write(h, buf, CHUNK) == (int)CHUNK) {
        big += CHUNK;
    }
    CHECK_EQ(fs_close(h), CMRX_OK);
    /* B: a new version sharing every block of /big's, taken with no room
     * left (a shorter file takes nothing; the byte put back is counted
     * against what the truncation was counted to take). */
    int b = fs_open("/big", FS_O_WRONLY);
    CHECK(b > 0);
    CHECK_EQ(fs_truncate(b, big - 1u), CMRX_OK);
    CHECK_EQ(fs_seek(b, 0, FS_SEEK_END), (int)(big - 1u));
    CHECK_EQ(fs_write(b, buf, 1), 1);
    int a = fs_open("/big", FS_O_WRONLY | FS_O_TRUNC);
    CHECK(a > 0);
    CHECK_EQ(fs_close(a), CMRX_OK);
    /* Fill, a chunk and a sync at a time, until refused (with the held
     * blocks counted, at once: the disk was as full as allowed). */
    h = fs_open("/fill", FS_O_WRONLY | FS_O_CREAT | FS_O_TRUNC);
    CHECK(h > 0 || h == FS_ENOSPC);
    int rc = h;
    uint32_t synced = h > 0 ? fill_synced(h, &rc) : 0;
    if (h > 0) {
        CHECK_EQ(fs_close(h), CMRX_OK);
    }
    /* Then new files, each a commit to the root, until refused. */
    int c;
    unsigned made = fill_files(&c);
    cmrx_printf("fs_ghost: /big %u bytes held by an open handle; wrote %u bytes, then %d; "
                "%u files, then %d\n",
                (unsigned)big, (unsigned)synced, rc, made, c);
    CHECK_EQ(fs_remove("/go"), CMRX_OK);
    /* B stays open while the logger appends. */
    for (;;) {
        cmrx_usleep(1000000);
    }
    return 0;
}

CMRX_THREAD(ghost, NULL);
