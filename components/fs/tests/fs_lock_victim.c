/* fs lock tests, the victim (priority 14): writes and writes, so that it
 * is inside fs holding the lock when the judge's busy thread pauses it. */
#include "check.h"
#include "fs.h"
#include "fs_lock.h"

static CMRX_SHARED uint8_t data[2048];

static int victim(void *arg)
{
    (void)arg;
    return write_forever("v", data, sizeof(data));
}

CMRX_THREAD(victim, NULL);
