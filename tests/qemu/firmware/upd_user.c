/* An updatable process that calls other processes' services: the
 * heartbeat (not updatable) and upd_svc (updatable: its CMRX_SERVICE
 * object). Built as version UPD_USER_VERSION (default 1), and as images
 * whose call of the heartbeat names another interface (UPD_USER_RENAMED)
 * or more methods (UPD_USER_WIDER) than the firmware serves. */
#define UPD_HB_OWN
#include "upd.h"

#ifndef UPD_USER_VERSION
#define UPD_USER_VERSION 1
#endif

struct upd_hb;
#if defined(UPD_USER_RENAMED)
struct upd_hb_vtable2 {
    int (*beats)(struct upd_hb *self);
};
struct upd_hb {
    const struct upd_hb_vtable2 *vtable;
    volatile uint32_t beats;
};
extern struct upd_hb upd_heart;
CMRX_CALLS(struct upd_hb_vtable2, upd_heart);
#else
struct upd_hb_vtable {
    int (*beats)(struct upd_hb *self);
#if defined(UPD_USER_WIDER)
    int (*reset)(struct upd_hb *self);
#endif
};
struct upd_hb {
    const struct upd_hb_vtable *vtable;
    volatile uint32_t beats;
};
extern struct upd_hb upd_heart;
CMRX_CALLS(struct upd_hb_vtable, upd_heart);
#endif
CMRX_CALLS(struct upd_svc_vtable, upd_service);

static volatile uint32_t answered, failed;

static int version(struct upd_user *self)
{
    (void)self;
    return UPD_USER_VERSION;
}

static int answered_calls(struct upd_user *self)
{
    (void)self;
    return (int)answered;
}

static int failed_calls(struct upd_user *self)
{
    (void)self;
    return (int)failed;
}

CMRX_VTABLE(struct upd_user_vtable, user_vt) = {version, answered_calls, failed_calls};
CMRX_SERVICE struct upd_user upd_user_svc = {&user_vt};

static int caller(void *arg)
{
    (void)arg;
    cmrx_printf("upd_user: version %d calls upd_hb and upd_svc\n", UPD_USER_VERSION);
    for (;;) {
        int beats = cmrx_rpc_call(&upd_heart, beats);
        int v = cmrx_rpc_call(&upd_service, version);
        if (beats >= 0 && v == 1) {
            answered++;
        } else {
            failed++;
        }
        cmrx_usleep(1000);
    }
    return 0;
}

CMRX_THREAD(caller, NULL);
