/* A service a caller's thread blocks in for good: nothing ever notifies
 * the word it waits on. Only the kernel can end that wait, when the
 * caller's process is killed. */
#include "check.h"
#include "doomed.h"

#include <stdbool.h>

static volatile uint32_t never; /* nobody notifies it */
static volatile int inside_count;
static volatile int ended_count;

static int block(struct doomed_srv *self)
{
    (void)self;
    inside_count++;
    int r = cmrx_wait(&never, 0u, CMRX_FOREVER);
    /* A service that goes on blocking after such an error must not keep
     * the thread: the next wait fails at once too. */
    uint32_t t0 = cmrx_time_us();
    int s = cmrx_usleep(100000);
    bool at_once = cmrx_time_us() - t0 < 50000u;
    if (ended_count >= 0) {
        ended_count = r == CMRX_EKILLED && s == CMRX_EKILLED && at_once ? ended_count + 1 : -1;
    }
    inside_count--;
    return r;
}

static int inside(struct doomed_srv *self)
{
    (void)self;
    return inside_count;
}

static int ended(struct doomed_srv *self)
{
    (void)self;
    return ended_count;
}

CMRX_VTABLE(struct doomed_srv_vtable, doomed_vt) = {block, inside, ended};
CMRX_EXPORT struct doomed_srv doomed_srv = {&doomed_vt};
