/* Interface of the service-API test: what a method can learn about its call. */
#ifndef CMRX_TEST_SVCAPI_H
#define CMRX_TEST_SVCAPI_H

#include <cmrx/cmrx.h>

struct probe;
struct probe_vtable {
    int (*who)(struct probe *self);
    int (*check)(struct probe *self, const void *buf, uint32_t len);
};
struct probe {
    const struct probe_vtable *vtable;
};

extern struct probe probe_service;
extern uint8_t probe_private[16];

#endif
