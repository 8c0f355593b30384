/* The trap service of the hostage attack (a_hostage.c, hostage_client.c). */
#ifndef CMRX_ATTACK_HOSTAGE_IFACE_H
#define CMRX_ATTACK_HOSTAGE_IFACE_H

#include <cmrx/cmrx.h>

struct trap;
struct trap_vtable {
    int (*hold)(struct trap *self);
};
struct trap {
    const struct trap_vtable *vtable;
};
extern struct trap trap;

#endif
