/* Interface of the RPC error test service. */
#ifndef CMRX_TEST_RPC_ERR_H
#define CMRX_TEST_RPC_ERR_H

#include <cmrx/cmrx.h>

#include <stdint.h>

struct err_svc;

struct err_vtable {
    int (*ok)(struct err_svc *self);
    int (*recurse)(struct err_svc *self, uint32_t depth);
    int (*crash)(struct err_svc *self);
};

struct err_svc {
    const struct err_vtable *vtable;
};

/* An object of the same shape whose vtable pointer is chosen at run time. */
struct fake_svc {
    const void *vtable;
};

extern struct err_svc err_service;     /* in process err_srv */
extern struct fake_svc err_fake;       /* in process err_srv, vtable of err_other */
extern volatile uint32_t err_srv_word; /* plain data of err_srv, not a service */
extern const void *const err_other_vtable;

#endif
