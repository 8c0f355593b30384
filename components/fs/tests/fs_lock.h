/* fs lock tests (fs_lockwait, fs_lockstop): what the processes agree on.
 * FS_LOCK_STOP selects the second scenario. Times are ms since boot. */
#ifndef FS_LOCK_H
#define FS_LOCK_H

#include "check.h"
#include "fs.h"

#define PID_ATTACKER 1 /* the order of the firmware's processes */

#define T_START    5u  /* the clients start their file work */
#define T_SPIN     10u /* the judge's busy thread starts: the client in fs is paused there */
#define T_BLOCK    12u /* the waiter's call (FS_LOCK_WAIT): blocks on the lock */
#define T_KILL     15u /* the attacker's process dies (its own fault, policy kill-process) */
#define T_PROBE    18u /* the judge calls fs while the paused client still holds its lock */
#define T_SPIN_END 60u /* the busy thread stops */

#define MS 1000u

static inline void sleep_until_ms(uint32_t ms)
{
    uint32_t now = cmrx_time_us();
    if (now < ms * MS) {
        cmrx_usleep(ms * MS - now);
    }
}

/* From T_START on, rewrite the first 16 KiB of file @p name in 2 KiB
 * writes for good: a client that is mostly inside fs, holding its lock. */
static inline int write_forever(const char *name, const uint8_t *data, uint32_t size)
{
    sleep_until_ms(T_START);
    int h = fs_open(name, FS_O_WRONLY | FS_O_CREAT);
    CHECK(h > 0);
    for (;;) {
        CHECK_EQ(fs_seek(h, 0, FS_SEEK_SET), 0);
        for (unsigned i = 0; i < 8; i++) {
            CHECK_EQ(fs_write(h, data, size), (int)size);
        }
    }
    return 0;
}

#endif
