/* fs: a power-loss-safe file system (littlefs) in a process of its own.
 *
 * The fs process mounts littlefs on the firmware's block device
 * (blockdev_storage) and serves files to every other process over RPC.
 * Files and directories are named by paths ("/log/0001.bin"; a leading '/'
 * is optional). A handle belongs to the process that opened it: no other
 * process can use it, and when that process is killed or restarted its
 * files are closed (what it wrote is kept as if it had closed them).
 *
 * Data (read(), write()) goes straight between the caller's CMRX_SHARED
 * buffer and the file system, never through a copy in the client. Paths
 * and the small records (fs_info, fs_statfs) may lie anywhere the caller
 * can read or write: the client library passes them through a buffer of
 * its own in the caller's shared memory.
 *
 * A power cut at any moment loses at most what was written to a file since
 * its last fs_sync() or fs_close() (or the rename, remove or mkdir in
 * progress, which happens entirely or not at all); everything synced before
 * is there, intact. See docs/storage.md.
 *
 * Errors are negative: the FS_E* codes below, CMRX_EINVAL (bad flags,
 * whence or size), CMRX_EFAULT (a data buffer not in the caller's
 * CMRX_SHARED memory), CMRX_EPERM and the kernel's CMRX_ERPC_* when the fs process faulted during
 * the call.
 *
 * Paths: fs resolves ".", ".." (by name, none above the root) and repeated
 * slashes itself. Every call that names a path answers CMRX_EPERM when it
 * is, or lies in, a top-level directory the build keeps for another
 * process (the `owners` setting, "/dir:process"); fs_format() answers it
 * to a process the `format` setting does not name (docs/storage.md).
 */
#ifndef FS_H
#define FS_H

#include <stdint.h>

#include <cmrx/cmrx.h>

/* --- error codes ------------------------------------------------------------ */
#define FS_EIO       (-260) /**< the block device failed */
#define FS_ECORRUPT  (-261) /**< the file system is corrupt (mount) or a block is bad */
#define FS_ENOENT    (-262) /**< no such file or directory */
#define FS_EEXIST    (-263) /**< it exists already (open with FS_O_EXCL, mkdir) */
#define FS_ENOTDIR   (-264) /**< a path component is not a directory */
#define FS_EISDIR    (-265) /**< a directory where a file is needed */
#define FS_ENOTEMPTY (-266) /**< remove() of a directory with entries */
#define FS_EBADF     (-267) /**< not a handle the caller opened (closed, another process's, forged) */
#define FS_EFBIG     (-268) /**< the file would exceed the largest file size */
#define FS_ENOSPC    (-269) /**< the disk is full */
#define FS_ENAMETOOLONG                                                                            \
    (-270) /**< a path longer than FS_PATH_MAX, or a name longer than littlefs takes */
#define FS_EMFILE (-271) /**< every handle (FS_OPEN_MAX) is in use */
#define FS_ENOFS  (-272) /**< the block device holds no file system (blank): fs_format() makes one \
                          */
#define FS_ESTALE (-273) /**< the fs process restarted since the handle was opened: open it again  \
                          */
#define FS_EACCES (-274) /**< read from a write-only handle or write to a read-only one */

/* --- open flags (as littlefs's) --------------------------------------------- */
#define FS_O_RDONLY 1u     /**< read only */
#define FS_O_WRONLY 2u     /**< write only */
#define FS_O_RDWR   3u     /**< read and write */
#define FS_O_CREAT  0x100u /**< create the file if it does not exist */
#define FS_O_EXCL   0x200u /**< with FS_O_CREAT: fail with FS_EEXIST if it exists */
#define FS_O_TRUNC  0x400u /**< truncate it to 0 bytes */
#define FS_O_APPEND 0x800u /**< every write goes to the end */

/* --- seek whence ------------------------------------------------------------ */
#define FS_SEEK_SET 0u
#define FS_SEEK_CUR 1u
#define FS_SEEK_END 2u

/** The value format() takes, so that no stray call wipes a disk. */
#define FS_FORMAT_CONFIRM 0x464f524du /* "FORM" */

/** A directory entry, or what stat() tells of a path. */
struct fs_info {
    uint32_t type; /**< FS_TYPE_FILE or FS_TYPE_DIR */
    uint32_t size; /**< bytes, for a file */
    char name[256];
};
#define FS_TYPE_FILE 1u
#define FS_TYPE_DIR  2u

/** The disk as a whole. */
struct fs_statfs {
    uint32_t block_size;  /**< bytes per block */
    uint32_t block_count; /**< blocks of the device */
    uint32_t blocks_used; /**< blocks in use (littlefs's estimate, metadata included) */
    uint32_t open_max;    /**< handles the fs process has (FS_OPEN_MAX) */
    uint32_t path_max;    /**< longest path it takes (FS_PATH_MAX) */
    uint32_t mounts;      /**< times the fs process has mounted (1 + its restarts) */
};

struct fs;

/** The RPC interface; use the functions below. */
struct fs_vtable {
    int (*open)(struct fs *self, const char *path, uint32_t flags);
    int (*close)(struct fs *self, uint32_t h);
    int (*read)(struct fs *self, uint32_t h, void *buf, uint32_t size);
    int (*write)(struct fs *self, uint32_t h, const void *buf, uint32_t size);
    int (*seek)(struct fs *self, uint32_t h, int32_t off, uint32_t whence);
    int (*truncate)(struct fs *self, uint32_t h, uint32_t size);
    int (*sync)(struct fs *self, uint32_t h);
    int (*remove)(struct fs *self, const char *path);
    int (*rename)(struct fs *self, const char *from, const char *to);
    int (*stat)(struct fs *self, const char *path, struct fs_info *out);
    int (*mkdir)(struct fs *self, const char *path);
    int (*opendir)(struct fs *self, const char *path);
    int (*readdir)(struct fs *self, uint32_t h, struct fs_info *out);
    int (*statfs)(struct fs *self, struct fs_statfs *out);
    int (*mount)(struct fs *self);
    int (*format)(struct fs *self, uint32_t confirm);
};

struct fs {
    const struct fs_vtable *vtable;
};

/** The service object of the fs process. */
extern struct fs fs_service;

/* --- client library (fs_client) ---------------------------------------------
 * Handles are positive ints; every call returns a negative error code on
 * failure. */

/**
 * Whether the file system is mounted: the fs process mounts it at its first
 * call. @return CMRX_OK; FS_ENOFS (a blank device: fs_format() makes a
 * file system), FS_ECORRUPT (not a valid littlefs: it is never formatted
 * unasked), FS_EIO.
 */
int fs_mount(void);
/**
 * Make an empty file system on the device, erasing what it held, and mount
 * it. Every open file, any process's, is closed first: its handle answers
 * FS_EBADF from then on. @p confirm must be FS_FORMAT_CONFIRM.
 * @return CMRX_OK; CMRX_EINVAL, CMRX_EPERM (a process the `format` setting
 * does not name), FS_EIO.
 */
int fs_format(uint32_t confirm);
/** Open file @p path with FS_O_* @p flags. @return a handle (> 0); FS_ENOENT, FS_EEXIST,
 *  FS_EISDIR, FS_ENOTDIR, FS_EMFILE, FS_ENAMETOOLONG, FS_ENOSPC, CMRX_EINVAL, CMRX_EPERM
 *  (another process's kept directory), FS_ENOFS... */
int fs_open(const char *path, uint32_t flags);
/** Close a file or directory handle, writing what is pending. @return CMRX_OK; FS_EBADF,
 *  FS_ESTALE, FS_ENOSPC, FS_EIO (the handle is closed all the same). */
int fs_close(int h);
/** Read up to @p size bytes into @p buf (CMRX_SHARED). @return bytes read (0 at the end). */
int fs_read(int h, void *buf, uint32_t size);
/** Write @p size bytes from @p buf (CMRX_SHARED). @return bytes written; FS_ENOSPC, FS_EFBIG. */
int fs_write(int h, const void *buf, uint32_t size);
/** Move the position. @return the new position; CMRX_EINVAL. */
int fs_seek(int h, int32_t off, uint32_t whence);
/** Set the file's size to @p size (zeros added past the end). @return CMRX_OK. */
int fs_truncate(int h, uint32_t size);
/** Make what was written to the file durable: after it returns, a power cut loses none of it. */
int fs_sync(int h);
/** Remove a file or an empty directory. @return CMRX_OK; FS_ENOENT, FS_ENOTEMPTY. */
int fs_remove(const char *path);
/** Rename (atomically replacing a file @p to, or an empty directory). @return CMRX_OK. */
int fs_rename(const char *from, const char *to);
/** Describe @p path into @p out. @return CMRX_OK; FS_ENOENT. */
int fs_stat(const char *path, struct fs_info *out);
/** Make directory @p path. @return CMRX_OK; FS_EEXIST, FS_ENOENT (no parent). */
int fs_mkdir(const char *path);
/** Open directory @p path for fs_readdir(); fs_close() closes it. @return a handle. */
int fs_opendir(const char *path);
/** The next entry of directory @p h into @p out. @return 1, or 0 at the end. */
int fs_readdir(int h, struct fs_info *out);
/** Describe the disk. @return CMRX_OK. */
int fs_statfs(struct fs_statfs *out);

#endif
