/* The two services of the S -> P -> S attack (a_nestkill.c, nest_p.c). */
#ifndef CMRX_ATTACK_NEST_IFACE_H
#define CMRX_ATTACK_NEST_IFACE_H

#include <cmrx/cmrx.h>

struct nest_s;
struct nest_s_vtable {
    int (*back)(struct nest_s *self, uint32_t op);
};
struct nest_s {
    const struct nest_s_vtable *vtable;
};
extern struct nest_s nest_s;

struct nest_p;
struct nest_p_vtable {
    /** Calls back into S with @p op (a process-control operation on P). */
    int (*relay)(struct nest_p *self, uint32_t op);
};
struct nest_p {
    const struct nest_p_vtable *vtable;
};
extern struct nest_p nest_p;

#endif
