/* fs kept-directory test, the victim: keeps a secret and two records in
 * its directory /vault. Restarted by the judge after the thief's attacks,
 * it finds every file as it left it (a restart keeps the directory its
 * own) and may still do everything there. */
#include <string.h>

#include "check.h"
#include "fs.h"
#include "fs_keep.h"

static CMRX_SHARED char buf[64];
static CMRX_SHARED struct fs_info info;

static void put(const char *path, const char *text)
{
    int h = fs_open(path, FS_O_WRONLY | FS_O_CREAT | FS_O_TRUNC);
    CHECK(h > 0);
    size_t n = strlen(text);
    memcpy(buf, text, n);
    CHECK_EQ(fs_write(h, buf, n), (int)n);
    CHECK_EQ(fs_close(h), CMRX_OK);
}

static void expect(const char *path, const char *text)
{
    int h = fs_open(path, FS_O_RDONLY);
    CHECK(h > 0);
    memset(buf, 0, sizeof(buf));
    int n = fs_read(h, buf, sizeof(buf) - 1);
    CHECK_EQ(fs_close(h), CMRX_OK);
    if (n != (int)strlen(text) || strcmp(buf, text) != 0) {
        CHECK_FAIL_("fs_keeper: %s holds '%s', not '%s'", path, n > 0 ? buf : "", text);
    }
}

/* /vault holds exactly ".", "..", "a", "b" and "secret". */
static void expect_entries(void)
{
    static const char *const names[] = {".", "..", "a", "b", "secret"};
    int d = fs_opendir("/vault");
    CHECK(d > 0);
    unsigned n = 0;
    while (fs_readdir(d, &info) == 1) {
        CHECK(n < 5);
        if (strcmp(info.name, names[n]) != 0) {
            CHECK_FAIL_("fs_keeper: /vault holds '%s'", info.name);
        }
        n++;
    }
    CHECK_EQ(n, 5);
    CHECK_EQ(fs_close(d), CMRX_OK);
}

static void first_run(void)
{
    while (fs_mount() != CMRX_OK) { /* the judge formats first */
        cmrx_usleep(1000);
    }
    CHECK_EQ(fs_mkdir("/vault"), CMRX_OK);
    put("/vault/secret", KEEP_SECRET);
    put("/vault/a", KEEP_A);
    put("/vault/b", KEEP_B);
    put(MARK_READY, "");
    cmrx_printf("fs_keeper: /vault/secret kept\n");
}

/* After the attacks, restarted: everything as left, and every call of the
 * owner in its own directory served, under any spelling. */
static void second_run(void)
{
    expect("/vault/secret", KEEP_SECRET);
    expect("vault//a", KEEP_A);
    expect("/x/../vault/./b", KEEP_B);
    expect_entries();
    CHECK_EQ(fs_stat("/vault/secret", &info), CMRX_OK);
    CHECK_EQ(info.size, strlen(KEEP_SECRET));
    CHECK_EQ(fs_stat("/vault", &info), CMRX_OK);
    CHECK_EQ(info.type, FS_TYPE_DIR);

    CHECK_EQ(fs_mkdir("/vault/sub"), CMRX_OK);
    put("/vault/sub/f", "f");
    CHECK_EQ(fs_rename("/vault/sub/f", "/vault/g"), CMRX_OK);
    CHECK_EQ(fs_rename("/vault/g", "/vault/sub/../h"), CMRX_OK);
    expect("/vault/h", "f");
    /* Out into free space and back in: the owner's own choice. */
    CHECK_EQ(fs_rename("/vault/h", "/h"), CMRX_OK);
    CHECK_EQ(fs_rename("/h", "/vault/h"), CMRX_OK);
    CHECK_EQ(fs_remove("/vault/h"), CMRX_OK);
    CHECK_EQ(fs_remove("/vault/sub"), CMRX_OK);
    put("/vault/b", KEEP_B "+");
    expect("/vault/b", KEEP_B "+");
    /* The directory itself: renamed, removed, made again. */
    CHECK_EQ(fs_mkdir("/vault/t"), CMRX_OK);
    CHECK_EQ(fs_rename("/vault", "/vault2"), CMRX_OK);
    CHECK_EQ(fs_rename("/vault2", "/vault"), CMRX_OK);
    CHECK_EQ(fs_remove("/vault/t"), CMRX_OK);
    expect("/vault/secret", KEEP_SECRET);
    put(MARK_OK, "");
    cmrx_printf("fs_keeper: restarted, its files intact, every call in /vault served\n");
}

static int keeper(void *arg)
{
    (void)arg;
    if (cmrx_process_restarts((unsigned)cmrx_process_self()) == 0) {
        first_run();
    } else {
        second_run();
    }
    return 0;
}

CMRX_THREAD(keeper, NULL);
