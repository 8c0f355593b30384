/* fs: littlefs in a process of its own, serving files over RPC (fs.h).
 *
 * The methods run on the callers' threads, one at a time (a mutex): littlefs
 * is not reentrant. littlefs's caches live in this process's CMRX_SHARED
 * memory, which the block-device driver sees during the nested calls; a
 * caller's buffer, which the driver does not see, goes through a bounce
 * buffer there. Nothing of one caller is kept for another: paths are copied
 * in before use, handles are checked against their owner. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <blockdev.h>
#include <cmrx/cmrx.h>
#include <fs.h>
#include <lfs.h>

#include "paths.h"

/* FS_OPEN_MAX, FS_PATH_MAX, FS_CACHE_SIZE, FS_LOOKAHEAD_SIZE, FS_BLOCK_CYCLES,
 * FS_OWNERS ("/dir:process,..."), FS_FORMATTERS ("name", ...,), FS_RESERVE
 * and FS_SPACE ("N:process,..."): from component.cmake, which checks them. */
static const char *const formatters[] = {FS_FORMATTERS NULL};

#ifdef FS_LINKED
/* The benchmark's baseline (tests/bench/fs): this file and littlefs linked
 * into the calling process and called as functions: the caller is the
 * process itself, its buffers its own. */
static int caller_run(const void *buf, size_t len)
{
    (void)buf;
    (void)len;
    int self = cmrx_process_self();
    return CMRX_RUN(self, cmrx_process_restarts((unsigned)self));
}
static int caller_buffer(const void *buf, size_t len)
{
    (void)buf;
    (void)len;
    return CMRX_OK;
}
#else
#define caller_run    cmrx_rpc_caller_run
#define caller_buffer cmrx_rpc_buffer
#endif

/* One open file or directory. */
struct slot {
    uint8_t used; /* 0 free, 1 file, 2 directory */
    uint8_t mode; /* FS_O_RDONLY/WRONLY/RDWR of a file */
    uint16_t gen; /* bumped at each open, so a closed handle stays invalid */
    int owner;    /* the run that opened it: cmrx_rpc_caller_run(), a restart is another */
    union {
        lfs_file_t file;
        lfs_dir_t dir;
    } u;
    struct lfs_file_config fcfg;
};

/* What the block device sees: littlefs's caches, the files' caches and the
 * bounce buffer, all in this process's shared memory. */
struct shared {
    uint8_t read_cache[FS_CACHE_SIZE];
    uint8_t prog_cache[FS_CACHE_SIZE];
    uint8_t file_cache[FS_OPEN_MAX][FS_CACHE_SIZE];
    uint8_t bounce[FS_CACHE_SIZE];
};
static CMRX_SHARED struct shared sh;

static lfs_t lfs;
static struct lfs_config cfg;
static uint32_t lookahead[FS_LOOKAHEAD_SIZE / 4];
static struct slot slots[FS_OPEN_MAX];
static cmrx_svc_mutex_t lock = CMRX_SVC_MUTEX_INIT;
static uint32_t resets; /* times a stopped holder's half-done call was dropped */
static int state;       /* 0: not tried yet; 1: mounted; < 0: why it is not */
static int epoch;       /* mounts before this one: restarts and resets (handles hold it) */
/* Set by enter(), under the lock: the run of the caller served now, and
 * whether the buffer the method was given is in its shared memory. */
static int who;
static int buf_ok;
static char path_a[FS_PATH_MAX + 1], path_b[FS_PATH_MAX + 1];
static struct fs_info info_tmp;
static struct lfs_info entry; /* littlefs's record of one entry: stat, readdir, space_create() */

/* What the setting `space` needs (below), here as bd_erase() counts. */
static uint32_t space_used; /* blocks in use at the last count, and 2 per erase since */
static bool space_counted;  /* space_used holds a count of this mount */

/* ---- the block device ------------------------------------------------------- */

static int in_shared(const void *p, lfs_size_t n)
{
    uintptr_t a = (uintptr_t)p, s = (uintptr_t)&sh;
    return a >= s && a + n <= s + sizeof(sh);
}

/* The driver's errors as littlefs's: a page that is not erased is a bad block
 * to littlefs (it moves the data elsewhere); the rest is an I/O error. */
static int bd_err(int rc)
{
    return rc == CMRX_OK ? 0 : rc == BLOCKDEV_ENOTERASED ? LFS_ERR_CORRUPT : LFS_ERR_IO;
}

static int bd_read(const struct lfs_config *c, lfs_block_t block, lfs_off_t off, void *buffer,
                   lfs_size_t size)
{
    (void)c;
    if (in_shared(buffer, size)) {
        return bd_err(cmrx_rpc_call(&blockdev_storage, read, block, off, buffer, size));
    }
    for (lfs_size_t done = 0; done < size;) {
        lfs_size_t n = size - done < sizeof(sh.bounce) ? size - done : sizeof(sh.bounce);
        int rc = cmrx_rpc_call(&blockdev_storage, read, block, off + done, sh.bounce, n);
        if (rc != CMRX_OK) {
            return bd_err(rc);
        }
        memcpy((uint8_t *)buffer + done, sh.bounce, n);
        done += n;
    }
    return 0;
}

static int bd_prog(const struct lfs_config *c, lfs_block_t block, lfs_off_t off, const void *buffer,
                   lfs_size_t size)
{
    (void)c;
    if (in_shared(buffer, size)) {
        return bd_err(cmrx_rpc_call(&blockdev_storage, prog, block, off, buffer, size));
    }
    for (lfs_size_t done = 0; done < size;) {
        lfs_size_t n = size - done < sizeof(sh.bounce) ? size - done : sizeof(sh.bounce);
        memcpy(sh.bounce, (const uint8_t *)buffer + done, n);
        int rc = cmrx_rpc_call(&blockdev_storage, prog, block, off + done, sh.bounce, n);
        if (rc != CMRX_OK) {
            return bd_err(rc);
        }
        done += n;
    }
    return 0;
}

static int bd_erase(const struct lfs_config *c, lfs_block_t block)
{
    (void)c;
    if (FS_SPACE[0] != 0 && space_used <= cfg.block_count) {
        space_used += 2u; /* beyond the device, a count follows anyway: it cannot wrap */
    }
    return bd_err(cmrx_rpc_call(&blockdev_storage, erase, block));
}

static int bd_sync(const struct lfs_config *c)
{
    (void)c;
    return bd_err(cmrx_rpc_call(&blockdev_storage, sync));
}

/* ---- errors, mounting ----------------------------------------------------- */

static int err_of(int lfs_err)
{
    switch (lfs_err) {
    case LFS_ERR_IO:
        return FS_EIO;
    case LFS_ERR_CORRUPT:
        return FS_ECORRUPT;
    case LFS_ERR_NOENT:
        return FS_ENOENT;
    case LFS_ERR_EXIST:
        return FS_EEXIST;
    case LFS_ERR_NOTDIR:
        return FS_ENOTDIR;
    case LFS_ERR_ISDIR:
        return FS_EISDIR;
    case LFS_ERR_NOTEMPTY:
        return FS_ENOTEMPTY;
    case LFS_ERR_BADF:
        return FS_EBADF;
    case LFS_ERR_FBIG:
        return FS_EFBIG;
    case LFS_ERR_NOSPC:
        return FS_ENOSPC;
    case LFS_ERR_NAMETOOLONG:
        return FS_ENAMETOOLONG;
    case LFS_ERR_INVAL:
        return CMRX_EINVAL;
    default:
        return lfs_err < 0 ? FS_EIO : lfs_err;
    }
}

/* The geometry from the driver, the limits from cmrx.yaml. */
static int configure(void)
{
    int g[4];
    for (uint32_t i = 0; i < 4; i++) {
        g[i] = cmrx_rpc_call(&blockdev_storage, geometry, i);
        if (g[i] <= 0) {
            return FS_EIO;
        }
    }
    if (FS_CACHE_SIZE % g[BLOCKDEV_PROG_SIZE] != 0 || FS_CACHE_SIZE % g[BLOCKDEV_READ_SIZE] != 0 ||
        g[BLOCKDEV_BLOCK_SIZE] % FS_CACHE_SIZE != 0) {
        cmrx_printf("fs: cache_size %d must be a multiple of the device's page (%d) and divide "
                    "its block (%d)\n",
                    FS_CACHE_SIZE, g[BLOCKDEV_PROG_SIZE], g[BLOCKDEV_BLOCK_SIZE]);
        return CMRX_EINVAL;
    }
    memset(&cfg, 0, sizeof(cfg));
    cfg.read = bd_read;
    cfg.prog = bd_prog;
    cfg.erase = bd_erase;
    cfg.sync = bd_sync;
    cfg.read_size = (lfs_size_t)g[BLOCKDEV_READ_SIZE];
    cfg.prog_size = (lfs_size_t)g[BLOCKDEV_PROG_SIZE];
    cfg.block_size = (lfs_size_t)g[BLOCKDEV_BLOCK_SIZE];
    cfg.block_count = (lfs_size_t)g[BLOCKDEV_BLOCK_COUNT];
    cfg.block_cycles = FS_BLOCK_CYCLES;
    cfg.cache_size = FS_CACHE_SIZE;
    cfg.lookahead_size = FS_LOOKAHEAD_SIZE;
    cfg.read_buffer = sh.read_cache;
    cfg.prog_buffer = sh.prog_cache;
    cfg.lookahead_buffer = lookahead;
    return CMRX_OK;
}

/* Blank (every byte of both superblock blocks 0xFF) or not a littlefs. */
static int why_unmountable(int lfs_err)
{
    if (lfs_err != LFS_ERR_CORRUPT && lfs_err != LFS_ERR_INVAL) {
        return err_of(lfs_err);
    }
    for (lfs_block_t b = 0; b < 2; b++) {
        for (lfs_off_t off = 0; off < cfg.block_size; off += sizeof(sh.bounce)) {
            if (bd_read(&cfg, b, off, sh.bounce, sizeof(sh.bounce)) != 0) {
                return FS_EIO;
            }
            for (size_t i = 0; i < sizeof(sh.bounce); i++) {
                if (sh.bounce[i] != 0xff) {
                    return FS_ECORRUPT;
                }
            }
        }
    }
    return FS_ENOFS;
}

static int mount_once(void)
{
    if (state != 0) {
        return state > 0 ? CMRX_OK : state;
    }
    int rc = configure();
    if (FS_SPACE[0] != 0) {
        space_counted = false;
    }
    if (rc == CMRX_OK) {
        int m = lfs_mount(&lfs, &cfg);
        rc = m == 0 ? CMRX_OK : why_unmountable(m);
    }
    epoch = cmrx_process_restarts((unsigned)cmrx_process_self()) + (int)resets;
    state = rc == CMRX_OK ? 1 : rc;
    return rc;
}

/* ---- handles ----------------------------------------------------------------
 * A handle is epoch (7 bits) << 24 | gen (16 bits) << 8 | slot (8 bits):
 * positive, different for every open, and stale after a restart. */

static int handle_of(unsigned i)
{
    return (int)((uint32_t)(epoch & 0x7f) << 24 | (uint32_t)slots[i].gen << 8 | i);
}

static void space_settled(const struct slot *s);
static void space_committed(const struct slot *s);

/* Close what slot @p s holds, if anything. @return littlefs's answer. */
static int release(struct slot *s)
{
    int e = 0;
    space_settled(s);
    if (s->used == 1) {
        e = lfs_file_close(&lfs, &s->u.file);
        space_committed(s);
    } else if (s->used == 2) {
        e = lfs_dir_close(&lfs, &s->u.dir);
    }
    s->used = 0;
    return e;
}

/* Close what processes that died or restarted since they opened it left open. */
static void reap(int keep)
{
    for (unsigned i = 0; i < FS_OPEN_MAX; i++) {
        struct slot *s = &slots[i];
        unsigned pid = CMRX_RUN_PID(s->owner);
        if (s->used && s->owner != keep &&
            (cmrx_process_control(pid, CMRX_PROC_STATE) != CMRX_PROC_ALIVE ||
             cmrx_process_restarts(pid) != CMRX_RUN_RESTARTS(s->owner))) {
            release(s);
        }
    }
}

/* The caller's slot for handle @p h of kind @p kind, or an error. */
static int lookup(uint32_t h, uint8_t kind, struct slot **out)
{
    uint32_t i = h & 0xffu;
    if ((h >> 24) != (uint32_t)(epoch & 0x7f)) {
        return h != 0 && (h >> 31) == 0 ? FS_ESTALE : FS_EBADF;
    }
    if (i >= FS_OPEN_MAX || !slots[i].used || slots[i].gen != ((h >> 8) & 0xffffu) ||
        slots[i].owner != who) {
        return FS_EBADF;
    }
    if (slots[i].used != kind) {
        return kind == 1 ? FS_EISDIR : FS_ENOTDIR;
    }
    *out = &slots[i];
    return CMRX_OK;
}

/* Handles process @p pid holds (-1: free ones). */
static unsigned held_by(int pid)
{
    unsigned n = 0;
    for (unsigned i = 0; i < FS_OPEN_MAX; i++) {
        n += pid < 0 ? !slots[i].used : slots[i].used && (int)CMRX_RUN_PID(slots[i].owner) == pid;
    }
    return n;
}

/* The setting `reserve` ("N:name,..."): process `name` may always hold N
 * open files, whoever holds the rest, so a process that opens files and
 * closes none cannot leave the others without one. */
static struct cmrx_kept kept = CMRX_KEPT_INIT(FS_RESERVE);

static int new_slot(struct slot **out)
{
    if (FS_RESERVE[0] != 0 &&
        !cmrx_kept_may_take(&kept, (int)CMRX_RUN_PID(who), held_by(-1), held_by)) {
        return FS_EMFILE;
    }
    for (unsigned i = 0; i < FS_OPEN_MAX; i++) {
        if (!slots[i].used) {
            slots[i].gen = (uint16_t)(slots[i].gen + 1u);
            slots[i].owner = who;
            *out = &slots[i];
            return (int)i;
        }
    }
    return FS_EMFILE;
}

/* ---- blocks kept for named processes ----------------------------------------
 * The setting `space` ("N:name,..."): N blocks of the device kept for
 * process `name`. fs does not know whose files hold which blocks, so what
 * is kept is pooled: a named process may use every free block, the kept
 * ones too (another named process's share among them); any other process
 * may not take a block while the free ones would fall below the sum kept.
 * Its calls that can take blocks (write, truncate to a larger size,
 * creating a file, mkdir, rename) are refused with FS_ENOSPC before
 * littlefs sees them, and change nothing.
 *
 * Free blocks are counted (space_count(): a traversal of the whole file
 * system) only when an estimate comes near the sum kept: the last count,
 * plus 2 blocks for each erase since (littlefs erases every block it takes
 * before programming it, except the second block of a new metadata pair,
 * which comes with one erase), plus what each open file's next sync may
 * still take; blocks freed since are not subtracted until the next count.
 * A call is let through only if the blocks it may take (the bounds below)
 * leave the sum kept free by that estimate, or else by a fresh count. */

/* Blocks one metadata commit may take (littlefs 2.8 and 2.9, lfs.c): a
 * commit that overflows its block compacts the pair, and
 * lfs_dir_splittingcompact() moves entries beyond half a block into new
 * pairs (lfs_dir_split() -> lfs_dir_alloc(): 2 blocks each; what filled a
 * block plus one call's entries, a name and at most an inline file of
 * cache_size each, makes at most two of them), and lfs_dir_compact()
 * relocates one block of a pair erased block_cycles times or gone bad
 * (lfs_alloc(): 1). Not bounded here: relocations cascading up several
 * directory levels in one call, more bad blocks. What a call takes beyond
 * its bound comes out of what is kept, once: the erases count it, so the
 * next call sees it. */
#define SPACE_COMMIT 5u

static struct {
    uint32_t kept; /* the sum of the counts of processes the firmware has */
    uint8_t n;
    bool known;
    int8_t pid[CMRX_KEPT_MAX];
} space;
static uint32_t space_pending[FS_OPEN_MAX]; /* blocks a file's next sync may take */
/* Where a file's new version, not yet synced, may start to differ from the
 * one in littlefs's tree, plus one (0: it does not): the lowest position
 * changed since the sync, 0 for a file that was inline. Blocks before it
 * are shared: each new version of a CTZ skip list keeps the blocks of the
 * old one before the first it changes (lfs_file_flushedwrite()). */
static uint32_t space_changed[FS_OPEN_MAX];
/* Slots whose file another handle committed since they opened it (bit i:
 * slot i): their version, once changed, may share blocks with one the
 * tree no longer holds, which littlefs keeps for them: all of it counts. */
static uint32_t space_stale;
_Static_assert(FS_OPEN_MAX <= 32, "space_stale has a bit per slot");

/* Blocks a file's data of @p n bytes may lie in: block i of littlefs's CTZ
 * skip list holds ctz(i) + 1 pointers of 4 bytes before its data
 * (lfs_ctz_index()), i < block_count; one more where a range starts inside
 * a block, which a write copies to a new one (lfs_ctz_extend()). */
static uint32_t space_data(uint32_t n)
{
    uint32_t ptrs = 1;
    for (uint32_t c = cfg.block_count; c > 1; c >>= 1) {
        ptrs++;
    }
    uint32_t per_block = cfg.block_size - 4u * ptrs;
    return n == 0 ? 0 : (n + per_block - 1u) / per_block + 1u;
}

/* What the next sync of file @p f may take: lfs_file_flush() copies the
 * old file after the position written to new blocks, then lfs_file_sync()
 * commits. */
static uint32_t space_flush(lfs_file_t *f)
{
    uint32_t size = (uint32_t)lfs_file_size(&lfs, f), pos = (uint32_t)lfs_file_tell(&lfs, f);
    return space_data(size > pos ? size - pos : 0) + SPACE_COMMIT;
}

/* After a sync or close of the file of slot @p s: its blocks are in the
 * tree, or free again. */
static void space_settled(const struct slot *s)
{
    if (FS_SPACE[0] != 0) {
        space_pending[s - slots] = 0;
        space_changed[s - slots] = 0;
        space_stale &= ~(1u << (s - slots));
    }
}

/* The file of slot @p s was just synced or closed: every other handle of
 * the same file holds a version the tree no longer has. */
static void space_committed(const struct slot *s)
{
    if (FS_SPACE[0] == 0) {
        return;
    }
    const lfs_mdir_t *m = &s->u.file.m;
    for (unsigned i = 0; i < FS_OPEN_MAX; i++) {
        const struct slot *o = &slots[i];
        const lfs_block_t *p = o->u.file.m.pair;
        /* The same pair in either order (as littlefs's lfs_pair_cmp()). */
        if (o != s && o->used == 1 && o->u.file.id == s->u.file.id &&
            (p[0] == m->pair[0] || p[0] == m->pair[1] || p[1] == m->pair[0] ||
             p[1] == m->pair[1])) {
            space_stale |= 1u << i;
        }
    }
}

/* Count the blocks in use: those of littlefs's tree as synced, with its
 * open files detached from the count (lfs_fs_size() counts a file being
 * written twice, its synced list and its new one, which share every block
 * before the first changed: a large file open for writing would look
 * twice its size), and those of each open file's new version from where
 * it may differ (space_changed). A file removed or replaced while open is
 * in no tree (littlefs sets its pair to null, lfs_dir_relocatingcommit()),
 * yet littlefs keeps its blocks while its handle has unsynced changes:
 * all of them are counted. */
static int space_count(void)
{
    struct lfs_mlist *open = lfs.mlist;
    lfs.mlist = NULL; /* the traversal reads it only to add open files */
    lfs_ssize_t used = lfs_fs_size(&lfs);
    lfs.mlist = open;
    if (used < 0) {
        return err_of((int)used);
    }
    space_used = (uint32_t)used;
    for (unsigned i = 0; i < FS_OPEN_MAX; i++) {
        lfs_file_t *f = &slots[i].u.file;
        if (slots[i].used != 1) {
            continue;
        }
        uint32_t size = (uint32_t)lfs_file_size(&lfs, f);
        if (f->m.pair[0] == (lfs_block_t)-1) {
            space_used += space_data(size);
        }
        if (space_changed[i] != 0) {
            uint32_t from = (space_stale >> i) & 1u ? 0 : space_changed[i] - 1u;
            space_used += space_data(size > from ? size - from : 0);
        }
    }
    space_counted = true;
    return CMRX_OK;
}

/* A call is about to change the file of slot @p s from position @p pos on. */
static void space_changes(struct slot *s, uint32_t pos)
{
    uint32_t i = (uint32_t)(s - slots);
    if (s->u.file.flags & LFS_F_INLINE) {
        pos = 0; /* moved out to blocks: every block is new */
    }
    if (space_changed[i] == 0 || pos + 1u < space_changed[i]) {
        space_changed[i] = pos + 1u;
    }
}

/* After a call that wrote to, or truncated, the file of slot @p s. */
static void space_unsettled(struct slot *s)
{
    if (FS_SPACE[0] != 0) {
        space_pending[s - slots] = space_flush(&s->u.file);
    }
}

/* Whether the caller is a process `space` names (read at the first call:
 * pids do not change while the firmware runs). */
static bool space_named(void)
{
    if (!space.known) {
        uint32_t n;
        int pid;
        const char *e = FS_SPACE;
        while (space.n < CMRX_KEPT_MAX && (e = cmrx_counts_next(e, &n, &pid)) != NULL) {
            if (pid >= 0) {
                space.pid[space.n++] = (int8_t)pid;
                space.kept += n;
            }
        }
        space.known = true;
    }
    for (unsigned i = 0; i < space.n; i++) {
        if (space.pid[i] == (int)CMRX_RUN_PID(who)) {
            return true;
        }
    }
    return false;
}

/* May the caller take @p need more blocks (beyond @p was, what a file's
 * next sync was counted to take already)? CMRX_OK, FS_ENOSPC, or why the
 * count failed. */
static int space_check(uint32_t need, uint32_t was)
{
    if (FS_SPACE[0] == 0 || space_named()) {
        return CMRX_OK; /* nothing kept (no check, none of its code linked), or the caller's */
    }
    uint32_t owed = space.kept + need - was;
    for (unsigned i = 0; i < FS_OPEN_MAX; i++) {
        owed += space_pending[i];
    }
    if (!space_counted || space_used + owed > cfg.block_count) {
        int rc = space_count();
        if (rc != CMRX_OK) {
            return rc;
        }
    }
    return space_used + owed > cfg.block_count ? FS_ENOSPC : CMRX_OK;
}

/* A write of @p n bytes through file @p s: what lfs_file_write() may take
 * at once (its data's blocks, from the end when it writes past it, as
 * lfs_file_write_() fills the gap with zeros; and one for an inline file
 * moved out to a block, lfs_file_outline()), and its next sync then. */
static int space_write(struct slot *s, uint32_t n)
{
    if (FS_SPACE[0] == 0) {
        return CMRX_OK;
    }
    lfs_file_t *f = &s->u.file;
    uint32_t size = (uint32_t)lfs_file_size(&lfs, f), pos = (uint32_t)lfs_file_tell(&lfs, f);
    if (f->flags & LFS_O_APPEND) {
        pos = size;
    }
    uint64_t end = (uint64_t)pos + n;
    if (end > LFS_FILE_MAX) {
        return CMRX_OK; /* littlefs refuses it (FS_EFBIG) and takes nothing */
    }
    uint32_t from = pos < size ? pos : size;
    uint32_t later = space_data(size > end ? size - (uint32_t)end : 0) + SPACE_COMMIT;
    int rc = space_check(space_data((uint32_t)end - from) + 1u + later, space_pending[s - slots]);
    if (rc == CMRX_OK) {
        space_changes(s, from);
    }
    return rc;
}

/* Creating @p path (canonical) commits a new entry to its directory;
 * opening a file that exists takes nothing (and any other error is
 * littlefs's to answer). */
static int space_create(const char *path)
{
    if (FS_SPACE[0] == 0 || space_named() || lfs_stat(&lfs, path, &entry) != LFS_ERR_NOENT) {
        return CMRX_OK;
    }
    return space_check(SPACE_COMMIT, 0);
}

/* Copy a NUL-terminated path from the caller's shared memory into @p dst,
 * reading each byte once (another thread of the caller may change it) and
 * none before it is known to be the caller's: one check for the longest
 * path, the common case; near the end of the caller's shared memory, one
 * per word (that memory ends on a word, not on the MPU's 32-byte grain).
 * Then make it canonical and check it against the kept directories: the
 * copy is what littlefs gets, so what is checked is what is opened. */
static int take_path(const char *src, char *dst)
{
    bool whole = caller_buffer(src, FS_PATH_MAX + 1) == CMRX_OK;
    for (uint32_t i = 0; i <= FS_PATH_MAX; i++) {
        if (!whole && (i == 0 || ((uintptr_t)(src + i) & 3u) == 0) &&
            caller_buffer(src + i, 1) != CMRX_OK) {
            return CMRX_EFAULT;
        }
        dst[i] = src[i];
        if (dst[i] == 0) {
            if (i == 0) {
                return FS_ENOENT;
            }
            fs_path_canonical(dst);
            /* Nothing kept: no check, and none of its code linked. */
            return FS_OWNERS[0] == 0 ? CMRX_OK : fs_path_check(FS_OWNERS, dst, CMRX_RUN_PID(who));
        }
    }
    return FS_ENAMETOOLONG;
}

/* ---- the lock ---------------------------------------------------------------
 * One caller at a time in littlefs (cmrx_svc_mutex_t, <cmrx/mutex.h>). A
 * caller whose process is killed while it waits leaves at once, without
 * the lock. A holder stopped by the kernel mid-call (killed, and kept from
 * returning within the grace by busier threads) left littlefs's state in
 * RAM half-updated: the waiter that takes the lock over drops that state.
 * The device holds what a power cut would have left, which littlefs is
 * made for; fs mounts it again, and handles from before are stale
 * (FS_ESTALE), as after a restart of fs. */

/* Forget every open file and the mount: the next mount_once() reads the
 * device again. Nothing of littlefs's state is used (it may be half-updated). */
static void drop_state(void)
{
    for (unsigned i = 0; i < FS_OPEN_MAX; i++) {
        slots[i].used = 0;
        space_settled(&slots[i]);
    }
    memset(&lfs, 0, sizeof(lfs));
    resets++;
    state = 0;
    cmrx_printf("fs: a caller was stopped in a call holding the lock: mounting again\n");
}

/* Take the lock for caller @p run: CMRX_OK, or CMRX_EKILLED (not taken:
 * return at once). */
static int lock_take(int run)
{
    int rc = cmrx_svc_mutex_lock_run(&lock, run);
    if (rc == CMRX_EOWNERDEAD) {
        drop_state();
        rc = CMRX_OK;
    }
    return rc;
}

/* Every method: one at a time, its caller known, mounted, the dead's files
 * closed. A method given a buffer learns whether it is the caller's in the
 * same system call (buf_ok); a size above 2^31 is refused by the method.
 * Not CMRX_OK: leave() follows, except for CMRX_EKILLED (the lock is not
 * held: return it at once). */
static int enter_buf(const void *buf, uint32_t size)
{
    int run = caller_run(buf, size <= 0x7fffffffu ? size : 0u);
    int ok = run >= 0;
    if (!ok) {
        run = caller_run(NULL, 0); /* rare: the call fails, but other checks go first */
    }
    if (lock_take(run) != CMRX_OK) {
        return CMRX_EKILLED;
    }
    who = run;
    buf_ok = ok;
    int rc = mount_once();
    if (rc == CMRX_OK) {
        reap(who);
    }
    return rc;
}

static int enter(void)
{
    return enter_buf(NULL, 0);
}

static int leave(int rc)
{
    if (rc != CMRX_EKILLED) {
        cmrx_svc_mutex_unlock(&lock);
    }
    return rc;
}

/* ---- methods ------------------------------------------------------------------ */

static int m_open(struct fs *self, const char *path, uint32_t flags)
{
    (void)self;
    const uint32_t known = FS_O_RDWR | FS_O_CREAT | FS_O_EXCL | FS_O_TRUNC | FS_O_APPEND;
    if ((flags & ~known) != 0 || (flags & FS_O_RDWR) == 0) {
        return CMRX_EINVAL;
    }
    int rc = enter();
    struct slot *s = NULL;
    if (rc == CMRX_OK) {
        rc = take_path(path, path_a);
    }
    if (rc == CMRX_OK) {
        rc = new_slot(&s);
    }
    if (rc >= 0 && (flags & FS_O_CREAT)) {
        int sp = space_create(path_a);
        rc = sp == CMRX_OK ? rc : sp;
    }
    if (rc >= 0) {
        unsigned i = (unsigned)rc;
        memset(&s->fcfg, 0, sizeof(s->fcfg));
        s->fcfg.buffer = sh.file_cache[i];
        int e = lfs_file_opencfg(&lfs, &s->u.file, path_a, (int)flags, &s->fcfg);
        if (e == 0) {
            s->used = 1;
            s->mode = (uint8_t)(flags & FS_O_RDWR);
            if (flags & FS_O_TRUNC) {
                space_unsettled(s); /* its close commits the truncation */
            }
            rc = handle_of(i);
        } else {
            rc = err_of(e);
        }
    }
    return leave(rc);
}

static int m_close(struct fs *self, uint32_t h)
{
    (void)self;
    struct slot *s = NULL;
    int rc = enter();
    if (rc == CMRX_OK) {
        rc = lookup(h, 1, &s);
        if (rc == FS_EISDIR) {
            rc = lookup(h, 2, &s);
        }
    }
    if (rc == CMRX_OK) {
        rc = err_of(release(s));
    }
    return leave(rc);
}

/* Enter a read or a write of @p size bytes at @p buf through handle @p h,
 * which must be a file opened for @p mode (FS_O_RDONLY or FS_O_WRONLY),
 * with a buffer in the caller's .shared memory. leave() follows, whatever
 * the result. */
static int enter_io(uint32_t h, const void *buf, uint32_t size, uint8_t mode, struct slot **s)
{
    int rc = enter_buf(buf, size);
    if (rc == CMRX_OK) {
        rc = lookup(h, 1, s);
    }
    if (rc == CMRX_OK && size > 0x7fffffffu) {
        rc = CMRX_EINVAL;
    }
    if (rc == CMRX_OK && !buf_ok) {
        rc = CMRX_EFAULT;
    }
    if (rc == CMRX_OK && !((*s)->mode & mode)) {
        rc = FS_EACCES;
    }
    return rc;
}

static int m_read(struct fs *self, uint32_t h, void *buf, uint32_t size)
{
    (void)self;
    struct slot *s = NULL;
    int rc = enter_io(h, buf, size, FS_O_RDONLY, &s);
    if (rc == CMRX_OK) {
        rc = err_of((int)lfs_file_read(&lfs, &s->u.file, buf, size));
    }
    return leave(rc);
}

static int m_write(struct fs *self, uint32_t h, const void *buf, uint32_t size)
{
    (void)self;
    struct slot *s = NULL;
    int rc = enter_io(h, buf, size, FS_O_WRONLY, &s);
    if (rc == CMRX_OK) {
        rc = space_write(s, size);
    }
    if (rc == CMRX_OK) {
        rc = err_of((int)lfs_file_write(&lfs, &s->u.file, buf, size));
        space_unsettled(s);
    }
    return leave(rc);
}

static int m_seek(struct fs *self, uint32_t h, int32_t off, uint32_t whence)
{
    (void)self;
    struct slot *s = NULL;
    int rc = whence > FS_SEEK_END ? CMRX_EINVAL : enter();
    if (rc != CMRX_OK) {
        return whence > FS_SEEK_END ? rc : leave(rc);
    }
    rc = lookup(h, 1, &s);
    if (rc == CMRX_OK) {
        rc = err_of((int)lfs_file_seek(&lfs, &s->u.file, off, (int)whence));
    }
    return leave(rc);
}

static int m_truncate(struct fs *self, uint32_t h, uint32_t size)
{
    (void)self;
    struct slot *s = NULL;
    int rc = enter();
    if (rc == CMRX_OK) {
        rc = lookup(h, 1, &s);
    }
    if (rc == CMRX_OK && !(s->mode & FS_O_WRONLY)) {
        rc = FS_EACCES;
    }
    if (rc == CMRX_OK && FS_SPACE[0] != 0) {
        /* Longer: its zeros are written from the end, as by a write (past
         * LFS_FILE_MAX, littlefs refuses it and takes nothing). */
        uint32_t now = (uint32_t)lfs_file_size(&lfs, &s->u.file);
        if (size > now && size <= LFS_FILE_MAX) {
            rc = space_check(space_data(size - now) + 1u + SPACE_COMMIT, 0);
        }
        if (rc == CMRX_OK) {
            space_changes(s, size < now ? size : now);
        }
    }
    if (rc == CMRX_OK) {
        rc = err_of(lfs_file_truncate(&lfs, &s->u.file, size));
        space_unsettled(s);
    }
    return leave(rc);
}

static int m_sync(struct fs *self, uint32_t h)
{
    (void)self;
    struct slot *s = NULL;
    int rc = enter();
    if (rc == CMRX_OK) {
        rc = lookup(h, 1, &s);
    }
    if (rc == CMRX_OK) {
        rc = err_of(lfs_file_sync(&lfs, &s->u.file));
    }
    if (rc == CMRX_OK) {
        space_settled(s);
        space_committed(s);
    }
    return leave(rc);
}

/* A method that is littlefs's @p op on one path of the caller's. */
static int on_path(const char *path, int (*op)(lfs_t *, const char *))
{
    int rc = enter();
    if (rc == CMRX_OK) {
        rc = take_path(path, path_a);
    }
    if (rc == CMRX_OK && op == lfs_mkdir) {
        /* A new pair (lfs_dir_alloc()), then commits to the predecessor's
         * tail and to the parent (lfs_mkdir_()). A removal frees blocks:
         * what it takes, the erases count. */
        rc = space_check(2u + 2u * SPACE_COMMIT, 0);
    }
    if (rc == CMRX_OK) {
        rc = err_of(op(&lfs, path_a));
    }
    return leave(rc);
}

static int m_remove(struct fs *self, const char *path)
{
    (void)self;
    return on_path(path, lfs_remove);
}

static int m_rename(struct fs *self, const char *from, const char *to)
{
    (void)self;
    int rc = enter();
    if (rc == CMRX_OK) {
        rc = take_path(from, path_a);
    }
    if (rc == CMRX_OK) {
        rc = take_path(to, path_b);
    }
    if (rc == CMRX_OK && fs_path_inside(path_a, path_b)) {
        rc = CMRX_EINVAL; /* littlefs would cut it off from the root */
    }
    if (rc == CMRX_OK) {
        rc = space_check(2u * SPACE_COMMIT, 0); /* to the new directory, from the old */
    }
    if (rc == CMRX_OK) {
        rc = err_of(lfs_rename(&lfs, path_a, path_b));
    }
    return leave(rc);
}

/* littlefs's entry as fs_info, into the caller's shared memory. */
static int give_info(const struct lfs_info *li, struct fs_info *out)
{
    if (caller_buffer(out, sizeof(*out)) != CMRX_OK) {
        return CMRX_EFAULT;
    }
    memset(&info_tmp, 0, sizeof(info_tmp));
    info_tmp.type = li->type == LFS_TYPE_DIR ? FS_TYPE_DIR : FS_TYPE_FILE;
    info_tmp.size = li->size;
    strncpy(info_tmp.name, li->name, sizeof(info_tmp.name) - 1);
    memcpy(out, &info_tmp, sizeof(*out));
    return CMRX_OK;
}

static int m_stat(struct fs *self, const char *path, struct fs_info *out)
{
    (void)self;
    int rc = enter();
    if (rc == CMRX_OK) {
        rc = take_path(path, path_a);
    }
    if (rc == CMRX_OK) {
        rc = err_of(lfs_stat(&lfs, path_a, &entry));
    }
    if (rc == CMRX_OK) {
        rc = give_info(&entry, out);
    }
    return leave(rc);
}

static int m_mkdir(struct fs *self, const char *path)
{
    (void)self;
    return on_path(path, lfs_mkdir);
}

static int m_opendir(struct fs *self, const char *path)
{
    (void)self;
    struct slot *s = NULL;
    int rc = enter();
    if (rc == CMRX_OK) {
        rc = take_path(path, path_a);
    }
    if (rc == CMRX_OK) {
        rc = new_slot(&s);
    }
    if (rc >= 0) {
        unsigned i = (unsigned)rc;
        int e = lfs_dir_open(&lfs, &s->u.dir, path_a);
        if (e == 0) {
            s->used = 2;
            rc = handle_of(i);
        } else {
            rc = err_of(e);
        }
    }
    return leave(rc);
}

static int m_readdir(struct fs *self, uint32_t h, struct fs_info *out)
{
    (void)self;
    struct slot *s = NULL;
    int rc = enter();
    if (rc == CMRX_OK) {
        rc = lookup(h, 2, &s);
    }
    if (rc == CMRX_OK) {
        rc = err_of(lfs_dir_read(&lfs, &s->u.dir, &entry));
    }
    if (rc == 1) {
        int g = give_info(&entry, out);
        rc = g == CMRX_OK ? 1 : g;
    }
    return leave(rc);
}

static int m_statfs(struct fs *self, struct fs_statfs *out)
{
    (void)self;
    static struct fs_statfs st;
    int rc = enter();
    lfs_ssize_t used = 0;
    if (rc == CMRX_OK && caller_buffer(out, sizeof(*out)) != CMRX_OK) {
        rc = CMRX_EFAULT;
    }
    if (rc == CMRX_OK) {
        used = lfs_fs_size(&lfs);
        rc = used < 0 ? err_of((int)used) : CMRX_OK;
    }
    if (rc == CMRX_OK) {
        st.block_size = cfg.block_size;
        st.block_count = cfg.block_count;
        st.blocks_used = (uint32_t)used;
        st.open_max = FS_OPEN_MAX;
        st.path_max = FS_PATH_MAX;
        st.mounts = (uint32_t)epoch + 1u;
        memcpy(out, &st, sizeof(st));
    }
    return leave(rc);
}

static int m_mount(struct fs *self)
{
    (void)self;
    return leave(enter());
}

static int m_format(struct fs *self, uint32_t confirm)
{
    (void)self;
    if (confirm != FS_FORMAT_CONFIRM) {
        return CMRX_EINVAL;
    }
    int run = caller_run(NULL, 0);
    /* Everyone's files, kept directories too: only the processes `format`
     * names (every process when it names none, and nothing is kept). */
    if (formatters[0] != NULL && !cmrx_names_allow(formatters, CMRX_RUN_PID(run))) {
        return CMRX_EPERM;
    }
    if (lock_take(run) != CMRX_OK) {
        return CMRX_EKILLED;
    }
    int rc = mount_once();
    if (rc == CMRX_OK || rc == FS_ENOFS || rc == FS_ECORRUPT) {
        rc = CMRX_OK;
        /* Every open file is closed, anyone's: their files are erased
         * anyway, and refusing while one is open would let any process that
         * keeps a file open keep the disk from ever being formatted. Their
         * handles name nothing from now on (FS_EBADF). */
        for (unsigned i = 0; i < FS_OPEN_MAX; i++) {
            release(&slots[i]);
        }
        if (state == 1) {
            lfs_unmount(&lfs);
        }
        state = 0;
        int e = lfs_format(&lfs, &cfg);
        rc = e == 0 ? mount_once() : err_of(e);
        if (e != 0) {
            state = rc;
        }
    }
    return leave(rc);
}

#ifdef FS_TEST_FAULT
/* Tests only: make the fs process fault in the middle of a method. */
static int m_crash(struct fs *self)
{
    (void)self;
    if (lock_take(caller_run(NULL, 0)) != CMRX_OK) {
        return CMRX_EKILLED;
    }
    volatile uint32_t *volatile bad = NULL;
    *bad = 0;
    return leave(CMRX_OK);
}
#endif

struct fs_vtable_all {
    struct fs_vtable base;
#ifdef FS_TEST_FAULT
    int (*crash)(struct fs *self);
#endif
};

CMRX_VTABLE(struct fs_vtable_all, fs_vt) = {
    {m_open, m_close, m_read, m_write, m_seek, m_truncate, m_sync, m_remove, m_rename, m_stat,
     m_mkdir, m_opendir, m_readdir, m_statfs, m_mount, m_format},
#ifdef FS_TEST_FAULT
    m_crash,
#endif
};
CMRX_EXPORT struct fs fs_service = {&fs_vt.base};
