/* File-system benchmark (scripts/bench-fs.sh): instructions per KiB written
 * and read through the fs process (FS_LINKED undefined) or with littlefs
 * linked into this process (FS_LINKED), and, isolated only, the time to
 * mount a full device. Under QEMU's -icount shift=0 one instruction is one
 * virtual nanosecond, so cmrx_time_us() counts thousands of instructions. */
#include <string.h>

#include <cmrx/cmrx.h>
#include <fs.h>

/* Bytes per measurement; a trace of where the instructions go
 * (docs/performance.md) takes a few KiB, and BENCH_TRACE leaves the mount
 * measurement (which fills the device) out. */
#ifndef BENCH_TOTAL_KIB
#define BENCH_TOTAL_KIB 64u
#endif
#define TOTAL (BENCH_TOTAL_KIB * 1024u)

static CMRX_SHARED uint8_t buf[BENCH_CHUNK];

/* Instructions per KiB (thousands of instructions per µs). */
static unsigned per_kib(uint32_t t0, uint32_t t1)
{
    return (unsigned)((uint64_t)(t1 - t0) * 1000u / (TOTAL / 1024u));
}

static void must(int rc, const char *what)
{
    if (rc < 0) {
        cmrx_printf("bench: %s failed: %d\n", what, rc);
        cmrx_shutdown(1);
    }
}

static int bench(void *arg)
{
    (void)arg;
    must(fs_format(FS_FORMAT_CONFIRM), "format");
    memset(buf, 0xa5, sizeof(buf));
    /* Writing: a new file, chunk by chunk, closed (so written to flash). */
    int h = fs_open("bench.bin", FS_O_WRONLY | FS_O_CREAT | FS_O_TRUNC);
    must(h, "open");
    uint32_t t0 = cmrx_time_us();
    for (uint32_t done = 0; done < TOTAL; done += sizeof(buf)) {
        must(fs_write(h, buf, sizeof(buf)), "write");
    }
    must(fs_close(h), "close");
    uint32_t t1 = cmrx_time_us();
    h = fs_open("bench.bin", FS_O_RDONLY);
    must(h, "open");
    uint32_t t2 = cmrx_time_us();
    for (uint32_t done = 0; done < TOTAL; done += sizeof(buf)) {
        must(fs_read(h, buf, sizeof(buf)), "read");
    }
    uint32_t t3 = cmrx_time_us();
    must(fs_close(h), "close");
    cmrx_printf("bench: %s, %u-byte calls: write %u, read %u instructions per KiB\n", BENCH_MODE,
                (unsigned)sizeof(buf), per_kib(t0, t1), per_kib(t2, t3));
#if defined(BENCH_FS_PID) && !defined(BENCH_TRACE)
    /* Mount time on a full device: fill it, restart fs, mount. */
    h = fs_open("fill.bin", FS_O_WRONLY | FS_O_CREAT);
    must(h, "open");
    /* Synced every 16 KiB: what is synced stays when the disk is full. */
    int rc;
    for (uint32_t n = 1; (rc = fs_write(h, buf, sizeof(buf))) == (int)sizeof(buf); n++) {
        if (n % (16384u / sizeof(buf)) == 0 && (rc = fs_sync(h)) != CMRX_OK) {
            break;
        }
    }
    if (rc != FS_ENOSPC) {
        must(rc < 0 ? rc : -1, "filling the device");
    }
    fs_close(h);
    struct fs_statfs st;
    must(fs_statfs(&st), "statfs");
    must(cmrx_process_control(BENCH_FS_PID, CMRX_PROC_RESTART), "restart");
    /* The kernel initialises the restarted process's memory a chunk per
     * tick; a call meanwhile would wait for it (and count the wait). Let it
     * finish first, so that only the mount is measured. */
    cmrx_usleep(100000);
    uint32_t t4 = cmrx_time_us();
    must(fs_mount(), "mount");
    uint32_t t5 = cmrx_time_us();
    cmrx_printf("bench: mount of a full device (%u of %u blocks of %u bytes): %u instructions\n",
                (unsigned)st.blocks_used, (unsigned)st.block_count, (unsigned)st.block_size,
                (unsigned)((t5 - t4) * 1000u));
#endif
    cmrx_shutdown(0);
    return 0;
}

CMRX_THREAD(bench, NULL);
