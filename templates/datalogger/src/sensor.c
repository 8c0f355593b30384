/* ${name}: the sensor process. Takes PER_RUN readings, one every 100 ms,
 * appending each to LOG_PATH and syncing it: once fs_sync() returns, a
 * power cut cannot take the reading away. */
#include <cmrx/cmrx.h>
#include <fs.h>

#include "record.h"

static CMRX_SHARED struct record rec; /* the fs process reads it from here */

/* A stand-in for a temperature sensor: 21.5 degrees, drifting. */
static int32_t sample(uint32_t seq)
{
    return 21500 + (int32_t)((seq * 37u) % 400u) - 200;
}

static int sensor(void *arg)
{
    (void)arg;
    while (fs_mount() != CMRX_OK) { /* the viewer decides about a blank device */
        cmrx_usleep(10000);
    }
    int h = fs_open(LOG_PATH, FS_O_WRONLY | FS_O_CREAT | FS_O_APPEND);
    if (h < 0) {
        cmrx_printf("sensor: cannot open %s (%d)\n", LOG_PATH, h);
        return h;
    }
    int end = fs_seek(h, 0, FS_SEEK_END);
    uint32_t seq = end > 0 ? (uint32_t)end / sizeof(rec) : 0;
    for (uint32_t i = 0; i < PER_RUN; i++, seq++) {
        cmrx_usleep(100000);
        rec.seq = seq;
        rec.time_ms = cmrx_time_us() / 1000u;
        rec.value = sample(seq);
        rec.seal = record_seal(&rec);
        int rc = fs_write(h, &rec, sizeof(rec));
        if (rc == (int)sizeof(rec)) {
            rc = fs_sync(h);
        }
        if (rc < 0) {
            cmrx_printf("sensor: reading %u not logged (%d)\n", (unsigned)seq, rc);
            break;
        }
    }
    fs_close(h);
    return 0;
}

CMRX_THREAD(sensor, NULL);
