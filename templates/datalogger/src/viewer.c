/* ${name}: the viewer process. Mounts the file system (making one on a
 * blank device: never on a corrupt one), tells what earlier runs logged,
 * waits for this run's readings and prints the log on the console. */
#include <cmrx/cmrx.h>
#include <fs.h>

#include "record.h"

static CMRX_SHARED struct record rec;

static uint32_t records(void)
{
    struct fs_info info;
    return fs_stat(LOG_PATH, &info) == CMRX_OK ? info.size / sizeof(struct record) : 0;
}

/* Print the log, checking every record. @return the readings shown. */
static int show(uint32_t from)
{
    int h = fs_open(LOG_PATH, FS_O_RDONLY);
    if (h < 0) {
        return h;
    }
    int n = 0, rc;
    while ((rc = fs_read(h, &rec, sizeof(rec))) == (int)sizeof(rec)) {
        if (rec.seal != record_seal(&rec)) {
            cmrx_printf("viewer: record %d is damaged\n", n);
        } else if (rec.seq >= from) {
            cmrx_printf("viewer: #%u  %u ms  %d.%03d C\n", (unsigned)rec.seq,
                        (unsigned)rec.time_ms, (int)(rec.value / 1000), (int)(rec.value % 1000));
        }
        n++;
    }
    fs_close(h);
    return rc < 0 ? rc : n;
}

static int viewer(void *arg)
{
    (void)arg;
    int rc = fs_mount();
    if (rc == FS_ENOFS) {
        cmrx_printf("viewer: blank flash, making a file system\n");
        rc = fs_format(FS_FORMAT_CONFIRM);
    }
    if (rc != CMRX_OK) {
        cmrx_printf("viewer: the flash holds no usable file system (%d); left as it is\n", rc);
        cmrx_shutdown(2);
    }
    uint32_t before = records();
    cmrx_printf("viewer: %u readings kept from earlier runs\n", (unsigned)before);
    while (records() < before + PER_RUN) {
        cmrx_usleep(50000);
    }
    int n = show(before > 3 ? before - 3 : 0);
    cmrx_printf("viewer: %d readings in the log, done on ${board}\n", n);
    cmrx_shutdown(n == (int)(before + PER_RUN) ? 0 : 1);
    return 0;
}

CMRX_THREAD(viewer, NULL);
