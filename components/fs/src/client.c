/* fs client library: the RPC calls as functions. Data buffers go to the fs
 * process as they are (they must be CMRX_SHARED); paths and records go
 * through this process's own shared buffer, so callers may keep them
 * anywhere (a string literal in flash, a local variable). */
#include <string.h>

#include "fs.h"

#ifdef FS_LINKED
/* The benchmark's baseline: the service linked in, its methods called directly. */
#define FS_CALL(method, ...) fs_service.vtable->method(&fs_service, ##__VA_ARGS__)
#else
#define FS_CALL(method, ...) cmrx_rpc_call(&fs_service, method, ##__VA_ARGS__)
#endif

static CMRX_SHARED struct {
    char a[FS_PATH_MAX + 1], b[FS_PATH_MAX + 1];
    union {
        struct fs_info info;
        struct fs_statfs st;
    } u;
} io;
/* The buffer is one per process: its threads take turns. */
static cmrx_mutex_t io_lock = CMRX_MUTEX_INIT;

/* Copy @p path into @p dst, or say it is too long (without a call). */
static int put_path(char *dst, const char *path)
{
    size_t n = 0;
    while (n <= FS_PATH_MAX && path[n] != 0) {
        n++;
    }
    if (n > FS_PATH_MAX) {
        return FS_ENAMETOOLONG;
    }
    memcpy(dst, path, n + 1);
    return CMRX_OK;
}

int fs_mount(void)
{
    return FS_CALL(mount);
}

int fs_format(uint32_t confirm)
{
    return FS_CALL(format, confirm);
}

int fs_open(const char *path, uint32_t flags)
{
    int rc = cmrx_mutex_lock(&io_lock);
    if (rc != CMRX_OK) {
        return rc; /* a thread serving a killed caller: not locked, leave */
    }
    rc = put_path(io.a, path);
    if (rc == CMRX_OK) {
        rc = FS_CALL(open, io.a, flags);
    }
    cmrx_mutex_unlock(&io_lock);
    return rc;
}

int fs_close(int h)
{
    return FS_CALL(close, (uint32_t)h);
}

int fs_read(int h, void *buf, uint32_t size)
{
    return FS_CALL(read, (uint32_t)h, buf, size);
}

int fs_write(int h, const void *buf, uint32_t size)
{
    return FS_CALL(write, (uint32_t)h, buf, size);
}

int fs_seek(int h, int32_t off, uint32_t whence)
{
    return FS_CALL(seek, (uint32_t)h, off, whence);
}

int fs_truncate(int h, uint32_t size)
{
    return FS_CALL(truncate, (uint32_t)h, size);
}

int fs_sync(int h)
{
    return FS_CALL(sync, (uint32_t)h);
}

int fs_remove(const char *path)
{
    int rc = cmrx_mutex_lock(&io_lock);
    if (rc != CMRX_OK) {
        return rc; /* a thread serving a killed caller: not locked, leave */
    }
    rc = put_path(io.a, path);
    if (rc == CMRX_OK) {
        rc = FS_CALL(remove, io.a);
    }
    cmrx_mutex_unlock(&io_lock);
    return rc;
}

int fs_rename(const char *from, const char *to)
{
    int rc = cmrx_mutex_lock(&io_lock);
    if (rc != CMRX_OK) {
        return rc; /* a thread serving a killed caller: not locked, leave */
    }
    rc = put_path(io.a, from);
    if (rc == CMRX_OK) {
        rc = put_path(io.b, to);
    }
    if (rc == CMRX_OK) {
        rc = FS_CALL(rename, io.a, io.b);
    }
    cmrx_mutex_unlock(&io_lock);
    return rc;
}

int fs_stat(const char *path, struct fs_info *out)
{
    int rc = cmrx_mutex_lock(&io_lock);
    if (rc != CMRX_OK) {
        return rc; /* a thread serving a killed caller: not locked, leave */
    }
    rc = put_path(io.a, path);
    if (rc == CMRX_OK) {
        rc = FS_CALL(stat, io.a, &io.u.info);
    }
    if (rc == CMRX_OK) {
        *out = io.u.info;
    }
    cmrx_mutex_unlock(&io_lock);
    return rc;
}

int fs_mkdir(const char *path)
{
    int rc = cmrx_mutex_lock(&io_lock);
    if (rc != CMRX_OK) {
        return rc; /* a thread serving a killed caller: not locked, leave */
    }
    rc = put_path(io.a, path);
    if (rc == CMRX_OK) {
        rc = FS_CALL(mkdir, io.a);
    }
    cmrx_mutex_unlock(&io_lock);
    return rc;
}

int fs_opendir(const char *path)
{
    int rc = cmrx_mutex_lock(&io_lock);
    if (rc != CMRX_OK) {
        return rc; /* a thread serving a killed caller: not locked, leave */
    }
    rc = put_path(io.a, path);
    if (rc == CMRX_OK) {
        rc = FS_CALL(opendir, io.a);
    }
    cmrx_mutex_unlock(&io_lock);
    return rc;
}

int fs_readdir(int h, struct fs_info *out)
{
    int rc = cmrx_mutex_lock(&io_lock);
    if (rc != CMRX_OK) {
        return rc; /* a thread serving a killed caller: not locked, leave */
    }
    rc = FS_CALL(readdir, (uint32_t)h, &io.u.info);
    if (rc == 1) {
        *out = io.u.info;
    }
    cmrx_mutex_unlock(&io_lock);
    return rc;
}

int fs_statfs(struct fs_statfs *out)
{
    int rc = cmrx_mutex_lock(&io_lock);
    if (rc != CMRX_OK) {
        return rc; /* a thread serving a killed caller: not locked, leave */
    }
    rc = FS_CALL(statfs, &io.u.st);
    if (rc == CMRX_OK) {
        *out = io.u.st;
    }
    cmrx_mutex_unlock(&io_lock);
    return rc;
}
