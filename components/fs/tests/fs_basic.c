/* fs test, the main process: the whole API on a fresh (erased) device, then
 * the bad inputs of the issue: a path beyond the limit, buffers outside the
 * caller's shared memory, forged and foreign handles (fs_other tries
 * FS_OTHER_HANDLE, this process's first handle), too many open files, a
 * full disk; last, a format with files open, which closes them. */
#include <string.h>

#include "check.h"
#include "fs.h"

static CMRX_SHARED uint8_t buf[512];
static CMRX_SHARED char shared_path[FS_PATH_MAX + 8];
static uint8_t private_buf[64];

static void write_pattern(int h, uint32_t n, uint8_t seed)
{
    for (uint32_t i = 0; i < n; i++) {
        buf[i] = (uint8_t)(seed + i);
    }
    CHECK_EQ(fs_write(h, buf, n), (int)n);
}

static void api(void)
{
    struct fs_info info;
    struct fs_statfs st;
    CHECK_EQ(fs_mount(), FS_ENOFS); /* blank: not formatted unasked */
    CHECK_EQ(fs_open("a", FS_O_RDONLY), FS_ENOFS);
    CHECK_EQ(fs_format(1234), CMRX_EINVAL); /* no stray format */
    CHECK_EQ(fs_format(FS_FORMAT_CONFIRM), CMRX_OK);
    CHECK_EQ(fs_mount(), CMRX_OK);

    int h = fs_open("/data.bin", FS_O_WRONLY | FS_O_CREAT | FS_O_EXCL);
    CHECK_EQ(h, FS_OTHER_HANDLE); /* the first handle: fs_other knows it */
    write_pattern(h, 300, 7);
    CHECK_EQ(fs_sync(h), CMRX_OK);
    CHECK_EQ(fs_read(h, buf, 10), FS_EACCES);
    CHECK_EQ(fs_open("/data.bin", FS_O_WRONLY | FS_O_CREAT | FS_O_EXCL), FS_EEXIST);

    /* fs_other tries this handle while it is open (it starts 20 ms in). */
    cmrx_usleep(100000);
    write_pattern(h, 100, 9); /* still ours, still open */
    CHECK_EQ(fs_close(h), CMRX_OK);
    CHECK_EQ(fs_close(h), FS_EBADF);

    CHECK_EQ(fs_stat("data.bin", &info), CMRX_OK);
    CHECK_EQ(info.type, FS_TYPE_FILE);
    CHECK_EQ(info.size, 400);
    h = fs_open("data.bin", FS_O_RDWR);
    CHECK(h > 0);
    CHECK_EQ(fs_seek(h, 299, FS_SEEK_SET), 299);
    CHECK_EQ(fs_read(h, buf, 3), 3);
    CHECK(buf[0] == (uint8_t)(7 + 299) && buf[1] == 9 && buf[2] == 10);
    CHECK_EQ(fs_seek(h, 0, FS_SEEK_END), 400);
    CHECK_EQ(fs_seek(h, 0, 7), CMRX_EINVAL);
    CHECK_EQ(fs_truncate(h, 50), CMRX_OK);
    CHECK_EQ(fs_seek(h, 0, FS_SEEK_END), 50);
    CHECK_EQ(fs_close(h), CMRX_OK);

    CHECK_EQ(fs_mkdir("logs"), CMRX_OK);
    CHECK_EQ(fs_mkdir("logs"), FS_EEXIST);
    CHECK_EQ(fs_mkdir("none/sub"), FS_ENOENT);
    CHECK_EQ(fs_rename("data.bin", "logs/d.bin"), CMRX_OK);
    CHECK_EQ(fs_stat("data.bin", &info), FS_ENOENT);
    CHECK_EQ(fs_open("logs", FS_O_RDONLY), FS_EISDIR);
    CHECK_EQ(fs_remove("logs"), FS_ENOTEMPTY);
    int d = fs_opendir("/logs");
    CHECK(d > 0);
    int found = 0, n;
    while ((n = fs_readdir(d, &info)) == 1) {
        found += strcmp(info.name, "d.bin") == 0 && info.size == 50;
    }
    CHECK_EQ(n, 0);
    CHECK_EQ(found, 1);
    CHECK_EQ(fs_read(d, buf, 1), FS_EISDIR);
    CHECK_EQ(fs_close(d), CMRX_OK);
    CHECK_EQ(fs_remove("logs/d.bin"), CMRX_OK);
    CHECK_EQ(fs_remove("logs"), CMRX_OK);
    CHECK_EQ(fs_statfs(&st), CMRX_OK);
    CHECK_EQ(st.block_size, 4096);
    CHECK_EQ(st.open_max, FS_OPEN_MAX);
    CHECK_EQ(st.path_max, FS_PATH_MAX);
    CHECK(st.blocks_used >= 2 && st.blocks_used < st.block_count);
    cmrx_printf("fs_basic: api ok, %u of %u blocks used\n", (unsigned)st.blocks_used,
                (unsigned)st.block_count);
}

static void bad_input(void)
{
    char long_path[FS_PATH_MAX + 2];
    memset(long_path, 'x', sizeof(long_path) - 1);
    long_path[sizeof(long_path) - 1] = 0;
    CHECK_EQ(fs_open(long_path, FS_O_RDWR | FS_O_CREAT), FS_ENAMETOOLONG);
    /* The same straight to the service, bypassing the client's check. */
    memset(shared_path, 'y', FS_PATH_MAX + 1);
    shared_path[FS_PATH_MAX + 1] = 0;
    CHECK_EQ(cmrx_rpc_call(&fs_service, open, shared_path, FS_O_RDWR | FS_O_CREAT),
             FS_ENAMETOOLONG);
    CHECK_EQ(cmrx_rpc_call(&fs_service, open, "flash", FS_O_RDONLY), CMRX_EFAULT);
    CHECK_EQ(cmrx_rpc_call(&fs_service, remove, (const char *)private_buf), CMRX_EFAULT);
    CHECK_EQ(cmrx_rpc_call(&fs_service, stat, "x", (struct fs_info *)private_buf), CMRX_EFAULT);
    CHECK_EQ(fs_open("f", 0), CMRX_EINVAL);
    CHECK_EQ(fs_open("f", FS_O_RDWR | 0x10000u), CMRX_EINVAL);

    int h = fs_open("f", FS_O_RDWR | FS_O_CREAT);
    CHECK(h > 0);
    CHECK_EQ(fs_write(h, private_buf, sizeof(private_buf)), CMRX_EFAULT); /* not shared */
    CHECK_EQ(fs_read(h, private_buf, sizeof(private_buf)), CMRX_EFAULT);
    CHECK_EQ(fs_write(h, buf, 0x80000000u), CMRX_EINVAL);
    CHECK_EQ(fs_close(h + 1), FS_EBADF);          /* forged: another slot */
    CHECK_EQ(fs_close(h + (1 << 8)), FS_EBADF);   /* forged: another generation */
    CHECK_EQ(fs_close(h + (1 << 24)), FS_ESTALE); /* forged: another epoch */
    CHECK_EQ(fs_close(-5), FS_EBADF);
    CHECK_EQ(fs_close(0), FS_EBADF);

    /* Every handle taken: the next open is refused, nothing is lost. */
    int hs[FS_OPEN_MAX];
    hs[0] = h;
    for (unsigned i = 1; i < FS_OPEN_MAX; i++) {
        hs[i] = fs_opendir("/");
        CHECK(hs[i] > 0);
    }
    CHECK_EQ(fs_open("g", FS_O_RDWR | FS_O_CREAT), FS_EMFILE);
    for (unsigned i = 1; i < FS_OPEN_MAX; i++) {
        CHECK_EQ(fs_close(hs[i]), CMRX_OK);
    }

    /* A full disk: writes fail with FS_ENOSPC, the file system stays usable. */
    memset(buf, 0x5a, sizeof(buf));
    int rc;
    uint32_t written = 0;
    while ((rc = fs_write(h, buf, sizeof(buf))) == (int)sizeof(buf)) {
        written += sizeof(buf);
    }
    CHECK_EQ(rc, FS_ENOSPC);
    cmrx_printf("fs_basic: disk full after %u bytes\n", (unsigned)written);
    rc = fs_close(h); /* what did not fit is dropped; the handle is gone either way */
    CHECK(rc == CMRX_OK || rc == FS_ENOSPC);
    CHECK_EQ(fs_close(h), FS_EBADF);
    CHECK_EQ(fs_remove("f"), CMRX_OK);
    h = fs_open("after", FS_O_RDWR | FS_O_CREAT);
    CHECK(h > 0);
    write_pattern(h, 200, 3);
    CHECK_EQ(fs_close(h), CMRX_OK);
    CHECK_EQ(fs_stat("after", &(struct fs_info){0}), CMRX_OK);

    /* A format with files open closes them: their handles name nothing. */
    h = fs_open("after", FS_O_RDONLY);
    int d = fs_opendir("/");
    CHECK(h > 0 && d > 0);
    CHECK_EQ(fs_format(FS_FORMAT_CONFIRM), CMRX_OK);
    CHECK_EQ(fs_read(h, buf, 1), FS_EBADF);
    CHECK_EQ(fs_close(h), FS_EBADF);
    CHECK_EQ(fs_close(d), FS_EBADF);
    CHECK_EQ(fs_stat("after", &(struct fs_info){0}), FS_ENOENT);
    cmrx_printf("fs_basic: bad input refused\n");
}

static int main_thread(void *arg)
{
    (void)arg;
    api();
    bad_input();
    PASS();
    return 0;
}

CMRX_THREAD(main_thread, NULL);
