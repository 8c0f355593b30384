/* fs open-files attack, the hoarder (unprivileged): opens files until fs
 * has no handle left for it and keeps them, then says so with a directory
 * (which takes no handle). The judge, for which the firmware keeps one
 * handle (fs's `reserve`), must still open a file. */
#include "check.h"
#include "fs.h"

static int hoarder(void *arg)
{
    (void)arg;
    cmrx_usleep(20000); /* the judge has formatted */
    unsigned n = 0;
    int h;
    while ((h = fs_open(n % 2 ? "/h1" : "/h0", FS_O_RDWR | FS_O_CREAT)) > 0) {
        n++;
    }
    CHECK_EQ(h, FS_EMFILE);
    CHECK_EQ(fs_mkdir("/hoarded"), CMRX_OK);
    cmrx_printf("fs_hoarder: took %u handles, then FS_EMFILE\n", n);
    for (;;) {
        cmrx_usleep(1000000); /* holds them for good */
    }
    return 0;
}

CMRX_THREAD(hoarder, NULL);
