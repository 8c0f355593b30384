/* fs fault test, the writer: syncs WRITER_SYNCED records to w.log, writes
 * more without syncing, then faults in the middle of its work (its policy
 * kills the process). */
#include "check.h"
#include "fs.h"
#include "fs_test.h"

static CMRX_SHARED struct rec r;

static int writer(void *arg)
{
    (void)arg;
    while (fs_mount() != CMRX_OK) { /* the judge formats the device */
        cmrx_usleep(1000);
    }
    int h = fs_open("w.log", FS_O_WRONLY | FS_O_CREAT | FS_O_TRUNC);
    CHECK(h > 0);
    for (uint32_t i = 0; i < WRITER_SYNCED + 3; i++) {
        rec_make(&r, i);
        CHECK_EQ(fs_write(h, &r, sizeof(r)), (int)sizeof(r));
        if (i + 1 == WRITER_SYNCED) {
            CHECK_EQ(fs_sync(h), CMRX_OK);
            cmrx_printf("fs_writer: %u records synced\n", (unsigned)WRITER_SYNCED);
        }
    }
    volatile uint32_t *volatile bad = NULL;
    *bad = 1; /* a bug, with the file open and records pending */
    return 0;
}

CMRX_THREAD(writer, NULL);
