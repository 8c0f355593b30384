/* The disk-space attacks' common steps (fs_filler.c, fs_ghost.c): each
 * process that includes this gets its own copy. */
#ifndef FS_TESTS_FILLING_H
#define FS_TESTS_FILLING_H

#include <string.h>

#include "check.h"
#include "fs.h"

#define CHUNK 1024u

static CMRX_SHARED uint8_t buf[CHUNK];
static CMRX_SHARED struct fs_info info;

/* Fill buf with a pattern, then wait until the judge says go (/go). */
static inline void fill_ready(void)
{
    for (unsigned i = 0; i < CHUNK; i++) {
        buf[i] = (uint8_t)i;
    }
    while (fs_stat("/go", &info) != CMRX_OK) {
        cmrx_usleep(1000);
    }
}

/* Write file @p h a chunk and a sync at a time (so that what fills the disk
 * is kept) until refused. @return the bytes synced; *@p rc the refusal. */
static inline uint32_t fill_synced(int h, int *rc)
{
    uint32_t synced = 0;
    for (;;) {
        *rc = fs_write(h, buf, CHUNK);
        if (*rc == (int)CHUNK) {
            *rc = fs_sync(h);
        }
        if (*rc != CMRX_OK) {
            return synced;
        }
        synced += CHUNK;
    }
}

/* Make empty files with long names, each a commit to the root, until
 * refused (at most 400); a refused one must not exist. @return how many
 * were made; *@p rc the refusal. */
static inline unsigned fill_files(int *rc)
{
    static char name[101];
    memset(name, 'n', sizeof(name) - 1u);
    name[0] = '/';
    unsigned made = 0;
    *rc = CMRX_OK;
    while (made < 400u) {
        for (unsigned k = made, j = 4; j > 0; j--, k /= 10) {
            name[j] = (char)('0' + k % 10u);
        }
        int c = fs_open(name, FS_O_WRONLY | FS_O_CREAT);
        if (c < 0) {
            *rc = c;
            CHECK_EQ(fs_stat(name, &info), FS_ENOENT);
            break;
        }
        CHECK_EQ(fs_close(c), CMRX_OK);
        made++;
    }
    return made;
}

#endif
