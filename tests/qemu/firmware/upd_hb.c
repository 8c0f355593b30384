/* The heartbeat: beats every millisecond and says so every 100 ms; its
 * count is a service, so the controller sees it never stopped. */
#include "upd.h"

static int beats(struct upd_hb *self)
{
    return (int)self->beats;
}

CMRX_VTABLE(struct upd_hb_vtable, hb_vt) = {beats};
CMRX_EXPORT struct upd_hb upd_heart = {&hb_vt, 0};

static int beat(void *arg)
{
    (void)arg;
    for (;;) {
        cmrx_usleep(1000);
        if (++upd_heart.beats % 100u == 0) {
            cmrx_printf("upd_hb: %u\n", (unsigned)upd_heart.beats);
        }
    }
    return 0;
}

CMRX_THREAD(beat, NULL);
