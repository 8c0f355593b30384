/* The interface of the RPC test service (process rpc_srv). */
#ifndef CMRX_TEST_CALC_H
#define CMRX_TEST_CALC_H

#include <cmrx/cmrx.h>

#include <stdint.h>

struct calc;

struct calc_vtable {
    int (*sum4)(struct calc *self, uint32_t a, uint32_t b, uint32_t c, uint32_t d);
    int (*negate)(struct calc *self, int v);
    int (*fill)(struct calc *self, uint8_t *buf, uint32_t len, uint32_t value);
    int (*peek)(struct calc *self, const volatile uint32_t *p);
    int (*keep)(struct calc *self, uint8_t *buf);
    int (*regs)(struct calc *self);
};

struct calc {
    const struct calc_vtable *vtable;
    int calls;
};

extern struct calc calc_service;

#endif
