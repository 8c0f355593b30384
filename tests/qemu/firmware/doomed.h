/* Interface of the service that the doomed-thread test's client blocks in. */
#ifndef CMRX_TEST_DOOMED_H
#define CMRX_TEST_DOOMED_H

#include <cmrx/cmrx.h>

struct doomed_srv;

struct doomed_srv_vtable {
    /* Block the calling thread until the wait fails; see doomed_srv.c. */
    int (*block)(struct doomed_srv *self);
    /* How many threads are inside block() now. */
    int (*inside)(struct doomed_srv *self);
    /* How many block() calls ended with CMRX_EKILLED from cmrx_wait()
     * and then at once from cmrx_usleep(); -1 if one ended otherwise. */
    int (*ended)(struct doomed_srv *self);
};

struct doomed_srv {
    const struct doomed_srv_vtable *vtable;
};

extern struct doomed_srv doomed_srv;

#endif
