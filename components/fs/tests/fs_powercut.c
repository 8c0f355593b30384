/* fs power-cut test, the writer (tests/fs/powercut.py cuts its power).
 *
 * At boot it checks everything the earlier runs left: segments
 * /log/seg.NNNNN (full, renamed from /log/cur) and /log/cur, records
 * numbered from 0 with no gap, each intact. It reports "pc: verified N
 * records" (the next number) and goes on appending to /log/cur, one to
 * three records per fs_sync(), saying "pc: synced S" after each sync (S:
 * the last record synced); every SEG_RECORDS records the segment is renamed
 * and a new one begun. A blank device is formatted; a device that does not
 * mount is reported and left as it is. */
#include "check.h"
#include "fs.h"
#include "fs_test.h"

#define SEG_RECORDS 64u
#define STOP_AT     900u /* records, then it ends (well before the disk is full) */

static CMRX_SHARED struct rec r[3];
static char name[32];

static const char *seg_name(uint32_t first)
{
    cmrx_format(name, sizeof(name), "/log/seg.%05u", (unsigned)first);
    return name;
}

/* Check the records of @p path, numbered from @p *next; @return how many. */
static uint32_t check_file(const char *path, uint32_t *next)
{
    int h = fs_open(path, FS_O_RDONLY);
    if (h == FS_ENOENT) {
        return 0;
    }
    CHECK(h > 0);
    uint32_t n = 0;
    int rc;
    while ((rc = fs_read(h, &r[0], sizeof(r[0]))) == (int)sizeof(r[0])) {
        if (!rec_ok(&r[0], *next)) {
            CHECK_FAIL_("pc: CORRUPT %s record %u: seq %u magic %x", path, (unsigned)n,
                        (unsigned)r[0].seq, (unsigned)r[0].magic);
        }
        (*next)++;
        n++;
    }
    if (rc != 0) {
        CHECK_FAIL_("pc: CORRUPT %s: a partial record (%d) after %u", path, rc, (unsigned)n);
    }
    CHECK_EQ(fs_close(h), CMRX_OK);
    return n;
}

static int writer(void *arg)
{
    (void)arg;
    int rc = fs_mount();
    if (rc == FS_ENOFS) {
        cmrx_printf("pc: blank device, formatting\n");
        CHECK_EQ(fs_format(FS_FORMAT_CONFIRM), CMRX_OK);
        CHECK_EQ(fs_mkdir("/log"), CMRX_OK);
    } else if (rc != CMRX_OK) {
        cmrx_printf("pc: mount refused: %d\n", rc);
        cmrx_shutdown(3);
    }
    /* Segments in order, then the current file. */
    uint32_t next = 0;
    while (check_file(seg_name(next), &next) == SEG_RECORDS) {
    }
    uint32_t in_cur = check_file("/log/cur", &next);
    cmrx_printf("pc: verified %u records\n", (unsigned)next);
    if (next >= STOP_AT) {
        cmrx_printf("pc: done\n");
        cmrx_shutdown(0);
    }
    int h = fs_open("/log/cur", FS_O_WRONLY | FS_O_CREAT | FS_O_APPEND);
    CHECK(h > 0);
    for (uint32_t k = 1;; k++) {
        if (in_cur >= SEG_RECORDS) { /* a full segment: renamed, a new one begun */
            CHECK_EQ(fs_close(h), CMRX_OK);
            CHECK_EQ(fs_rename("/log/cur", seg_name(next - in_cur)), CMRX_OK);
            h = fs_open("/log/cur", FS_O_WRONLY | FS_O_CREAT | FS_O_APPEND);
            CHECK(h > 0);
            in_cur = 0;
        }
        uint32_t n = 1 + k % 3;
        n = n > SEG_RECORDS - in_cur ? SEG_RECORDS - in_cur : n;
        for (uint32_t i = 0; i < n; i++) {
            rec_make(&r[i], next + i);
        }
        CHECK_EQ(fs_write(h, r, n * sizeof(r[0])), (int)(n * sizeof(r[0])));
        CHECK_EQ(fs_sync(h), CMRX_OK);
        next += n;
        in_cur += n;
        cmrx_printf("pc: synced %u\n", (unsigned)(next - 1));
        if (next >= STOP_AT) {
            cmrx_printf("pc: done\n");
            cmrx_shutdown(0);
        }
    }
}

CMRX_THREAD(writer, NULL);
