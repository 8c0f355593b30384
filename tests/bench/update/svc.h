/* The benchmark's updatable service: one method, its version. */
#ifndef BENCH_SVC_H
#define BENCH_SVC_H

#include <cmrx/cmrx.h>
#include <cmrx/update.h>

struct bsvc;
struct bsvc_vtable {
    int (*version)(struct bsvc *self);
};
struct bsvc {
    const struct bsvc_vtable *vtable;
};
extern struct bsvc bsvc_service;

#endif
