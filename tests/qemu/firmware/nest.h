/* Interfaces of the nested-RPC test: A -> B -> C and A -> B -> A. */
#ifndef CMRX_TEST_NEST_H
#define CMRX_TEST_NEST_H

#include <cmrx/cmrx.h>

#include <stdint.h>

struct svc_a;
struct svc_b;
struct svc_c;

struct a_vtable {
    int (*echo)(struct svc_a *self, int x);
};
struct b_vtable {
    int (*to_c)(struct svc_b *self, int x);
    int (*to_a)(struct svc_b *self, int x);
    int (*c_reads)(struct svc_b *self, const volatile uint32_t *p);
    int (*c_reads_mine)(struct svc_b *self);
};
struct c_vtable {
    int (*twice)(struct svc_c *self, int x);
    int (*read)(struct svc_c *self, const volatile uint32_t *p);
};

struct svc_a {
    const struct a_vtable *vtable;
};
struct svc_b {
    const struct b_vtable *vtable;
};
struct svc_c {
    const struct c_vtable *vtable;
};

extern struct svc_a nest_a;
extern struct svc_b nest_b;
extern struct svc_c nest_c;

#endif
