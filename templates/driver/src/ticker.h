/* The service the timer driver of ${name} offers to other processes. */
#ifndef TICKER_H
#define TICKER_H

#include <cmrx/cmrx.h>

struct ticker;

struct ticker_vtable {
    /* Return the number of timer periods counted so far. */
    int (*periods)(struct ticker *self);
};

struct ticker {
    const struct ticker_vtable *vtable;
};

extern struct ticker ticker_service;

#endif
