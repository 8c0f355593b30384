/* fs disk-space attack, the judge (SYSTEM, to format and end the test): a
 * logger the firmware depends on, with its directory (`owners`) and disk
 * blocks (`space`) kept for it. Once the filler has filled the disk, it
 * must still append two blocks' worth of records to its log. */
#include "check.h"
#include "fs.h"
#include "fs_test.h"

/* fs_sjudge6 (fs_space_held): its own directory, and more of what is
 * kept appended: 5 of the 8 blocks, the rest for the copied last block
 * and the commit (SJUDGE_HELD: see fs_statfs() below). */
#ifndef SJUDGE_DIR
#define SJUDGE_DIR "/slog"
#endif
#ifndef SJUDGE_BLOCKS
#define SJUDGE_BLOCKS 2u
#endif
#define LOG        SJUDGE_DIR "/log"
#define SPACE_KEPT 8u /* FS_SPACE in tests.cmake */
#define RECS_SETUP 8u
/* 4 KiB blocks of records, as a logger appends them between syncs. */
#define RECS_MORE (SJUDGE_BLOCKS * 4096u / sizeof(struct rec))

static CMRX_SHARED struct rec r;
static CMRX_SHARED struct fs_info info;
static CMRX_SHARED struct fs_statfs st;

static int append(int h, uint32_t from, uint32_t to)
{
    for (uint32_t i = from; i < to; i++) {
        rec_make(&r, i);
        int rc = fs_write(h, &r, sizeof(r));
        if (rc != (int)sizeof(r)) {
            return rc;
        }
    }
    return fs_sync(h);
}

static int sjudge(void *arg)
{
    (void)arg;
    CHECK_EQ(fs_format(FS_FORMAT_CONFIRM), CMRX_OK);
    CHECK_EQ(fs_mkdir(SJUDGE_DIR), CMRX_OK);
    int h = fs_open(LOG, FS_O_WRONLY | FS_O_CREAT | FS_O_APPEND);
    CHECK(h > 0);
    CHECK_EQ(append(h, 0, RECS_SETUP), CMRX_OK);
    /* The filler starts once /go exists and removes it when the disk is full. */
    int g = fs_open("/go", FS_O_WRONLY | FS_O_CREAT);
    CHECK(g > 0);
    CHECK_EQ(fs_close(g), CMRX_OK);
    for (unsigned ms = 0; fs_stat("/go", &info) == CMRX_OK; ms++) {
        if (ms == 20000) {
            CHECK_FAIL_("fs_sjudge: the filler never finished");
        }
        cmrx_usleep(1000);
    }
    CHECK_EQ(fs_statfs(&st), CMRX_OK);
    cmrx_printf("fs_sjudge: the filler is done, %u of %u blocks used\n", (unsigned)st.blocks_used,
                (unsigned)st.block_count);
    int rc = append(h, RECS_SETUP, RECS_SETUP + RECS_MORE);
    if (rc == FS_ENOSPC) {
        cmrx_printf("ATTACK SUCCEEDED: the filler left the logger no room for its log "
                    "(FS_ENOSPC)\n");
    }
    CHECK_EQ(rc, CMRX_OK);
    /* What the firmware keeps for it (FS_SPACE in tests.cmake) was free.
     * Not told with a file open with unsynced writes (fs_space_held):
     * fs_statfs() counts its blocks twice, its new version's and its own. */
#ifndef SJUDGE_HELD
    CHECK(st.block_count - st.blocks_used >= SPACE_KEPT);
#endif
    CHECK_EQ(fs_close(h), CMRX_OK);
    /* Every record there, intact, in order. */
    h = fs_open(LOG, FS_O_RDONLY);
    CHECK(h > 0);
    for (uint32_t i = 0; i < RECS_SETUP + RECS_MORE; i++) {
        CHECK_EQ(fs_read(h, &r, sizeof(r)), sizeof(r));
        CHECK(rec_ok(&r, i));
    }
    CHECK_EQ(fs_read(h, &r, sizeof(r)), 0);
    CHECK_EQ(fs_close(h), CMRX_OK);
    cmrx_printf("fs_sjudge: appended %u bytes to its log on the disk the filler filled\n",
                (unsigned)(RECS_MORE * sizeof(r)));
    PASS();
    return 0;
}

CMRX_THREAD(sjudge, NULL);
