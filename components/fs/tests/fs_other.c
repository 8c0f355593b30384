/* fs test, another process: the main process's open handle is not ours,
 * and the block device under fs serves fs alone (emuflash's `callers`):
 * erasing or programming fs's blocks behind its back is refused by the
 * kernel before the driver runs. */
#include "blockdev.h"
#include "check.h"
#include "fs.h"

static CMRX_SHARED uint8_t buf[16];

static int other(void *arg)
{
    (void)arg;
    cmrx_usleep(20000); /* fs_basic has opened its first file by now */
    CHECK_EQ(fs_read(FS_OTHER_HANDLE, buf, sizeof(buf)), FS_EBADF);
    CHECK_EQ(fs_write(FS_OTHER_HANDLE, buf, sizeof(buf)), FS_EBADF);
    CHECK_EQ(fs_sync(FS_OTHER_HANDLE), FS_EBADF);
    CHECK_EQ(fs_close(FS_OTHER_HANDLE), FS_EBADF);
    cmrx_printf("fs_other: foreign handle refused\n");
    CHECK_EQ(cmrx_rpc_call(&blockdev_storage, erase, 0), CMRX_EPERM);
    CHECK_EQ(cmrx_rpc_call(&blockdev_storage, prog, 1, 0, buf, sizeof(buf)), CMRX_EPERM);
    CHECK_EQ(cmrx_rpc_call(&blockdev_storage, read, 0, 0, buf, sizeof(buf)), CMRX_EPERM);
    cmrx_printf("fs_other: the block device refuses it\n");
    return 0;
}

CMRX_THREAD(other, NULL);
