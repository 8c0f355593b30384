/* Interface of the fault-policy test services (restart and kill-process). */
#ifndef CMRX_TEST_VICTIM_H
#define CMRX_TEST_VICTIM_H

#include <cmrx/cmrx.h>

struct victim;

struct victim_vtable {
    int (*bump)(struct victim *self);
    int (*crash)(struct victim *self);
    int (*linger)(struct victim *self, uint32_t us);
};

struct victim {
    const struct victim_vtable *vtable;
};

#endif
