/* The greeting service of ${name}: the interface the greeter process
 * offers to other processes over RPC. */
#ifndef GREETER_H
#define GREETER_H

#include <cmrx/cmrx.h>

/* Greetings are written into a buffer of the caller's .shared memory,
 * which the greeter may use while the call is in flight (and only then). */
#define GREETING_MAX 64

struct greeter;

/* The methods: each takes the service object and up to four integers. */
struct greeter_vtable {
    /* Write "hello #n from the greeter" into buf, which must be in the
     * caller's .shared memory; return its length, or CMRX_EFAULT. */
    int (*greet)(struct greeter *self, char *buf, unsigned len, unsigned n);
    /* Return how many greetings were made. */
    int (*count)(struct greeter *self);
};

/* The service object: its first member points to the vtable. */
struct greeter {
    const struct greeter_vtable *vtable;
    unsigned greeted;
};

/* The greeter process's instance; any process may call its methods. */
extern struct greeter greeter_service;

#endif
