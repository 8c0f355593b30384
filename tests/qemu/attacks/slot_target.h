/* The updatable processes of the update attacks (slot_target.c). */
#ifndef CMRX_ATTACK_SLOT_TARGET_H
#define CMRX_ATTACK_SLOT_TARGET_H

#include <cmrx/cmrx.h>

struct slot_svc;
struct slot_svc_vtable {
    /** 42. */
    int (*ping)(struct slot_svc *self);
};
struct slot_svc {
    const struct slot_svc_vtable *vtable;
};
extern struct slot_svc slot_t0_svc, slot_t1_svc;

#endif
