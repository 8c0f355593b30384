/* fs lock tests, the victim (priority 14): writes and writes, so that it
 * is inside fs holding the lock when the judge's busy thread pauses it. */
#include "check.h"
#include "fs.h"
#include "fs_lock.h"

static CMRX_SHARED uint8_t data[2048];

static int victim(void *arg)
{
    (void)arg;
    sleep_until_ms(T_START);
    int h = fs_open("v", FS_O_WRONLY | FS_O_CREAT);
    CHECK(h > 0);
    for (;;) {
        CHECK_EQ(fs_seek(h, 0, FS_SEEK_SET), 0);
        for (unsigned i = 0; i < 8; i++) {
            CHECK_EQ(fs_write(h, data, sizeof(data)), (int)sizeof(data));
        }
    }
    return 0;
}

CMRX_THREAD(victim, NULL);
