/* fs test: a client's second thread rewrites the path in its shared memory
 * while fs serves the first thread's calls with it (no client library):
 * between a name fs accepts and one longer than path_max. fs must read
 * the path once: no file may get the long name, whatever the timing. */
#include <string.h>

#include "check.h"
#include "fs.h"

#define CALLS    600
#define LONG_LEN 200 /* longer than path_max (128 here), shorter than littlefs's 255 */

_Static_assert(LONG_LEN > FS_PATH_MAX && LONG_LEN <= 255, "the long name");

static CMRX_SHARED char p[LONG_LEN + 2];
static CMRX_SHARED struct fs_info info;
static volatile int done;

static int flipper(void *arg)
{
    (void)arg;
    /* The state of each tick from a pseudo-random bit, not alternating: a
     * loop of calls lasting an even number of ticks would otherwise meet
     * one state only, whatever fs does. */
    for (uint32_t n = 1; !done; n = n * 1103515245u + 12345u) {
        if (n & 0x10000u) {
            memset(p + 1, 'L', LONG_LEN); /* the same first bytes: only the end moves */
            p[LONG_LEN + 1] = 0;
        } else {
            p[6] = 0; /* "/LLLLL" */
        }
        cmrx_usleep(0); /* to the next tick: the caller's thread is then mid-call */
    }
    return 0;
}

static int caller(void *arg)
{
    (void)arg;
    CHECK_EQ(fs_format(FS_FORMAT_CONFIRM), CMRX_OK);
    p[0] = '/';
    memset(p + 1, 'L', 5);
    p[6] = 0;
    CHECK(cmrx_thread_create(flipper, NULL, 9) >= 0);
    unsigned opened = 0, too_long = 0;
    for (unsigned i = 0; i < CALLS; i++) {
        int rc = cmrx_rpc_call(&fs_service, open, p, FS_O_RDWR | FS_O_CREAT);
        if (rc > 0) {
            opened++;
            CHECK_EQ(fs_close(rc), CMRX_OK);
        } else {
            CHECK_EQ(rc, FS_ENAMETOOLONG);
            too_long++;
        }
        rc = cmrx_rpc_call(&fs_service, stat, p, &info);
        CHECK(rc == CMRX_OK || rc == FS_ENAMETOOLONG);
        CHECK(rc != CMRX_OK || strlen(info.name) < FS_PATH_MAX);
    }
    done = 1;
    /* Both states were seen, and no name longer than path_max was made. */
    CHECK(opened > 0 && too_long > 0);
    int d = fs_opendir("/");
    CHECK(d > 0);
    int n, names = 0;
    while ((n = fs_readdir(d, &info)) == 1) {
        CHECK(strlen(info.name) < FS_PATH_MAX);
        names++;
    }
    CHECK_EQ(n, 0);
    CHECK_EQ(fs_close(d), CMRX_OK);
    cmrx_printf("fs_toctou: %u opens, %u refused, %d names, none longer than path_max\n",
                opened, too_long, names);
    PASS();
    return 0;
}

CMRX_THREAD(caller, NULL);
