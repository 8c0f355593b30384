/* fs kept-directory test, the attacker (unprivileged, not the owner of
 * /vault): every call that could read, change or remove the keeper's
 * files, or plant files beside them, under every spelling of their paths,
 * and a format of the whole disk. Each that succeeds prints ATTACK
 * SUCCEEDED; each must be refused with CMRX_EPERM. */
#include <string.h>

#include "check.h"
#include "fs.h"
#include "fs_keep.h"

static CMRX_SHARED char buf[64];
static CMRX_SHARED char longp[FS_PATH_MAX + 1];
static CMRX_SHARED struct fs_info info;
static unsigned tried, refused;

/* One attack's outcome: @p won whether it got anything, @p rc what fs said. */
static void outcome(const char *what, const char *path, int rc, int won)
{
    tried++;
    if (won) {
        cmrx_printf("ATTACK SUCCEEDED: %s %s (%d)\n", what, path, rc);
    } else if (rc == CMRX_EPERM) {
        refused++;
    } else {
        cmrx_printf("fs_thief: %s %s refused with %d, not CMRX_EPERM\n", what, path, rc);
    }
}

static void try_read(const char *path)
{
    int h = fs_open(path, FS_O_RDONLY);
    if (h > 0) {
        memset(buf, 0, sizeof(buf));
        int n = fs_read(h, buf, sizeof(buf) - 1);
        fs_close(h);
        cmrx_printf("fs_thief: read %d bytes of %s: '%s'\n", n, path, n > 0 ? buf : "");
    }
    outcome("read", path, h, h > 0);
}

static void try_write(const char *path, uint32_t flags)
{
    int h = fs_open(path, FS_O_WRONLY | flags);
    if (h > 0) {
        memcpy(buf, "stolen", 7);
        fs_write(h, buf, 6);
        fs_close(h);
    }
    outcome("write", path, h, h > 0);
}

static void try_stat(const char *path)
{
    int rc = fs_stat(path, &info);
    outcome("stat", path, rc, rc == CMRX_OK);
}

static void try_list(const char *path)
{
    int d = fs_opendir(path);
    if (d > 0) {
        while (fs_readdir(d, &info) == 1) {
            cmrx_printf("fs_thief: %s holds '%s'\n", path, info.name);
        }
        fs_close(d);
    }
    outcome("list", path, d, d > 0);
}

static void try_mkdir(const char *path)
{
    int rc = fs_mkdir(path);
    outcome("mkdir", path, rc, rc == CMRX_OK);
}

static void try_remove(const char *path)
{
    int rc = fs_remove(path);
    outcome("remove", path, rc, rc == CMRX_OK);
}

static void try_rename(const char *from, const char *to)
{
    int rc = fs_rename(from, to);
    outcome("rename from", from, rc, rc == CMRX_OK);
    if (rc == CMRX_OK) {
        cmrx_printf("fs_thief: ... to %s\n", to);
    }
}

/* A file of the thief's own, in free space. */
static void own(const char *path)
{
    int h = fs_open(path, FS_O_WRONLY | FS_O_CREAT | FS_O_TRUNC);
    CHECK(h > 0);
    memcpy(buf, "forged", 7);
    CHECK_EQ(fs_write(h, buf, 6), 6);
    CHECK_EQ(fs_close(h), CMRX_OK);
}

static int thief(void *arg)
{
    (void)arg;
    while (fs_stat(MARK_READY, &info) != CMRX_OK) {
        cmrx_usleep(1000);
    }
    /* Free space stays free: names that only start like the kept one too. */
    own("/mine");
    own("/vaultx");
    CHECK_EQ(fs_mkdir("/x"), CMRX_OK);

    /* Read the secret, under every spelling littlefs accepts. */
    static const char *const spellings[] = {
        "/vault/secret",          "vault/secret",       "//vault//secret", "/./vault/./secret",
        "/vault/../vault/secret", "/x/../vault/secret", "../vault/secret", "/..//vault/secret",
        "/x/./../vault/secret",   "vault/secret/",
    };
    for (unsigned i = 0; i < sizeof(spellings) / sizeof(spellings[0]); i++) {
        try_read(spellings[i]);
    }
    /* At path_max: "./" until the secret's name ends on the last byte, and
     * ".." past the root many times over. */
    static const char tail[] = "vault/secret";
    size_t pad = FS_PATH_MAX - (sizeof(tail) - 1u);
    for (size_t i = 0; i < pad; i++) {
        longp[i] = i == 0 ? '/' : (i % 2 ? '.' : '/');
    }
    longp[pad - 1] = '/';
    memcpy(longp + pad, tail, sizeof(tail));
    try_read(longp);
    for (size_t i = 0; i < pad; i++) {
        longp[i] = "../"[i % 3];
    }
    longp[pad - 1] = '/';
    try_read(longp);
    /* Names that only look like it are other names (littlefs compares
     * bytes): not the secret, and not kept. */
    CHECK_EQ(fs_open("/VAULT/secret", FS_O_RDONLY), FS_ENOENT);
    CHECK_EQ(fs_open("/vault\\secret", FS_O_RDONLY), FS_ENOENT);
    try_stat("/vault/secret");
    try_stat("/vault");
    try_list("/vault");
    try_list("/vault/.");
    /* Plant files beside it. */
    try_write("/vault/planted", FS_O_CREAT);
    try_mkdir("/vault/sub");
    try_mkdir("//vault/./sub2");
    /* Change it: overwrite, append, rename one's own file over it. */
    try_write("/vault/secret", FS_O_TRUNC);
    try_write("/x/../vault/secret", FS_O_APPEND);
    try_rename("/mine", "/vault/secret");
    /* Take files away, and the directory itself. */
    try_rename("/vault/a", "/stolen");
    try_remove("/vault/b");
    try_remove("/./vault//secret");
    try_rename("/vault", "/loot");
    try_remove("/vault");
    /* The whole disk. */
    int rc = fs_format(FS_FORMAT_CONFIRM);
    outcome("format", "/", rc, rc == CMRX_OK);

    if (refused == tried) {
        cmrx_printf("fs_thief: %u attacks, each refused with CMRX_EPERM\n", tried);
    }
    own(MARK_DONE);
    return 0;
}

CMRX_THREAD(thief, NULL);
