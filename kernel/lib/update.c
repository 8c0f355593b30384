/* cmrx_update_write(): the kernel writes a slot a chunk per call, so that
 * no call keeps it busy long (CMRX_UPDATE_CHUNK). */
#include <cmrx/update.h>

int cmrx_update_write(unsigned pid, uint32_t offset, const void *buf, size_t len)
{
    size_t done = 0;
    do {
        int r = cmrx_update_write_some(pid, offset + (uint32_t)done, (const char *)buf + done,
                                       len - done);
        if (r < 0) {
            return r;
        }
        done += (size_t)r;
    } while (done < len);
    return CMRX_OK;
}
