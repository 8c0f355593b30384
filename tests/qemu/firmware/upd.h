/* The update test (docs/updating.md): a heartbeat, an updatable service
 * (versions 1 and 2), a client calling it in a loop, a controller that
 * stages images and commits them, and a process without the right to. */
#ifndef CMRX_TEST_UPD_H
#define CMRX_TEST_UPD_H

#include <cmrx/cmrx.h>
#include <cmrx/update.h>

#include <stdint.h>

/* Process indices: the order of the firmware's PROCESSES. */
#define UPD_PID_CTL    0u
#define UPD_PID_HB     1u
#define UPD_PID_SVC    2u
#define UPD_PID_CLI    3u
#define UPD_PID_ROGUE  4u
#define UPD_PID_WAITER 5u

/* In upd_waiter: the controller notifies it to make it commit. */
extern volatile uint32_t upd_waiter_go;

struct upd_svc;
struct upd_svc_vtable {
    int (*version)(struct upd_svc *self);
    int (*add)(struct upd_svc *self, uint32_t a, uint32_t b);
};
struct upd_svc {
    const struct upd_svc_vtable *vtable;
    uint32_t calls;
};
/* In the updatable process: at the same address in every version. */
extern struct upd_svc upd_service;

/* The heartbeat's interface (a caller built against another one declares
 * its own: UPD_HB_OWN, upd_user.c). */
#ifndef UPD_HB_OWN
struct upd_hb;
struct upd_hb_vtable {
    int (*beats)(struct upd_hb *self);
};
struct upd_hb {
    const struct upd_hb_vtable *vtable;
    volatile uint32_t beats;
};
extern struct upd_hb upd_heart;
#endif

/* The updatable caller of the calls test (upd_user.c): its version and
 * how many of its calls of the heartbeat and the service were answered,
 * and not, since it started. */
struct upd_user;
struct upd_user_vtable {
    int (*version)(struct upd_user *self);
    int (*answered)(struct upd_user *self);
    int (*failed)(struct upd_user *self);
};
struct upd_user {
    const struct upd_user_vtable *vtable;
};
extern struct upd_user upd_user_svc;

#endif
