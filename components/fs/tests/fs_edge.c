/* fs test: paths at their edges, straight to the service (no client
 * library): exactly path_max bytes, empty, "..", no NUL before the end of
 * the caller's shared memory and a NUL its last byte; a directory renamed
 * into itself. */
#include <string.h>

#include "check.h"
#include "fs.h"

/* The end of this process's shared memory (the SDK's linker script). */
extern char __cmrx_p_fs_edge_shared_end[];

static CMRX_SHARED char p[FS_PATH_MAX + 8];
static CMRX_SHARED char q[16];
static CMRX_SHARED struct fs_info info;

#define OPEN(path, flags) cmrx_rpc_call(&fs_service, open, (path), (flags))
#define STAT(path)        cmrx_rpc_call(&fs_service, stat, (path), &info)
#define REMOVE(path)      cmrx_rpc_call(&fs_service, remove, (path))
#define MKDIR(path)       cmrx_rpc_call(&fs_service, mkdir, (path))
#define RENAME(a, b)      cmrx_rpc_call(&fs_service, rename, (a), (b))

static void set(char *dst, const char *s)
{
    strcpy(dst, s);
}

static int edge(void *arg)
{
    (void)arg;
    CHECK_EQ(fs_format(FS_FORMAT_CONFIRM), CMRX_OK);

    /* Exactly path_max bytes: served (one more is FS_ENAMETOOLONG: fs_api). */
    p[0] = '/';
    memset(p + 1, 'p', FS_PATH_MAX - 1);
    p[FS_PATH_MAX] = 0;
    int h = OPEN(p, FS_O_RDWR | FS_O_CREAT);
    CHECK(h > 0);
    CHECK_EQ(fs_close(h), CMRX_OK);
    CHECK_EQ(STAT(p), CMRX_OK);
    CHECK_EQ(info.type, FS_TYPE_FILE);
    CHECK_EQ(REMOVE(p), CMRX_OK);

    /* Empty: no such file, for every call. */
    p[0] = 0;
    CHECK_EQ(OPEN(p, FS_O_RDWR | FS_O_CREAT), FS_ENOENT);
    CHECK_EQ(STAT(p), FS_ENOENT);
    CHECK_EQ(REMOVE(p), FS_ENOENT);
    CHECK_EQ(MKDIR(p), FS_ENOENT);

    /* "..", above the root, is the root: never removed, renamed or a file. */
    set(p, "..");
    CHECK_EQ(OPEN(p, FS_O_RDWR | FS_O_CREAT), FS_EISDIR);
    CHECK_EQ(REMOVE(p), CMRX_EINVAL);
    CHECK_EQ(MKDIR(p), FS_EEXIST);
    set(q, "x");
    CHECK_EQ(RENAME(p, q), CMRX_EINVAL);
    set(p, "/../..");
    CHECK_EQ(STAT(p), CMRX_OK);
    CHECK_EQ(info.type, FS_TYPE_DIR);

    /* No NUL before the end of the caller's shared memory: refused, and
     * nothing past the end read. */
    volatile uintptr_t end_addr = (uintptr_t)__cmrx_p_fs_edge_shared_end; /* no bounds to GCC */
    char *end = (char *)end_addr;
    memset(end - 8, 'z', 8);
    CHECK_EQ(OPEN(end - 8, FS_O_RDWR | FS_O_CREAT), CMRX_EFAULT);
    CHECK_EQ(STAT(end - 8), CMRX_EFAULT);
    CHECK_EQ(MKDIR(end - 1), CMRX_EFAULT);
    /* Its NUL the last byte of the caller's shared memory: served (fs
     * checks a word at a time there, not the longest path at once). */
    memcpy(end - 3, "/e", 3);
    h = OPEN(end - 3, FS_O_RDWR | FS_O_CREAT);
    CHECK(h > 0);
    CHECK_EQ(fs_close(h), CMRX_OK);
    CHECK_EQ(REMOVE(end - 3), CMRX_OK);

    /* Buffers that straddle the end of shared memory, wrap around the
     * address space or are too long: refused before any byte is touched. */
    set(p, "w");
    h = OPEN(p, FS_O_RDWR | FS_O_CREAT);
    CHECK(h > 0);
    CHECK_EQ(cmrx_rpc_call(&fs_service, write, (uint32_t)h, end - 4, 8u), CMRX_EFAULT);
    CHECK_EQ(cmrx_rpc_call(&fs_service, write, (uint32_t)h, end - 4, 0x7fffffffu), CMRX_EFAULT);
    CHECK_EQ(cmrx_rpc_call(&fs_service, read, (uint32_t)h, (void *)0xfffffff0u, 0x20u),
             CMRX_EFAULT);
    CHECK_EQ(cmrx_rpc_call(&fs_service, read, (uint32_t)h, p, 0xffffffffu), CMRX_EINVAL);
    CHECK_EQ(cmrx_rpc_call(&fs_service, stat, p, (struct fs_info *)(void *)(end - 4)), CMRX_EFAULT);
    CHECK_EQ(cmrx_rpc_call(&fs_service, statfs, (struct fs_statfs *)(void *)(end - 4)),
             CMRX_EFAULT);
    CHECK_EQ(fs_close(h), CMRX_OK);

    /* A directory renamed into itself: littlefs does not check, and the
     * directory was cut off from the root, its blocks lost for good. */
    set(p, "d");
    CHECK_EQ(MKDIR(p), CMRX_OK);
    set(q, "d/e");
    CHECK_EQ(RENAME(p, q), CMRX_EINVAL);
    set(q, "/x/../d/./f/");
    CHECK_EQ(RENAME(p, q), CMRX_EINVAL);
    /* littlefs alone reads d/./../e as d/e (its lookahead counts "." as a
     * name): into itself, past a check of the path as fs reads it. fs
     * hands littlefs its own reading, e, a sibling. */
    set(q, "d/./../e");
    CHECK_EQ(RENAME(p, q), CMRX_OK);
    CHECK_EQ(STAT(p), FS_ENOENT);
    CHECK_EQ(STAT(q), CMRX_OK);
    CHECK_EQ(info.type, FS_TYPE_DIR);
    CHECK_EQ(RENAME(q, p), CMRX_OK);
    set(q, "d");
    CHECK_EQ(RENAME(p, q), CMRX_OK); /* itself: nothing happens */
    set(q, "de");
    CHECK_EQ(RENAME(p, q), CMRX_OK); /* a sibling whose name starts alike */
    CHECK_EQ(STAT(q), CMRX_OK);
    CHECK_EQ(info.type, FS_TYPE_DIR);
    struct fs_statfs st;
    CHECK_EQ(fs_statfs(&st), CMRX_OK);
    cmrx_printf("fs_edge: paths at their edges refused or served\n");
    PASS();
    return 0;
}

CMRX_THREAD(edge, NULL);
