/* The greeter process of ${name}: a service other processes call.
 *
 * A call from another process runs here, on the caller's thread, with this
 * process's memory mapped in (and the caller's .shared buffer, for the
 * length of the call). Nothing else of the caller is visible. */
#include "greeter.h"

static int greet(struct greeter *self, char *buf, unsigned len, unsigned n)
{
    /* The caller chooses buf: check it lies in the caller's .shared memory,
     * or a caller could have the greeter write over its own data. */
    if (cmrx_rpc_buffer(buf, len) != CMRX_OK) {
        return CMRX_EFAULT;
    }
    self->greeted++;
    return cmrx_format(buf, len, "hello #%u from the greeter", n);
}

static int count(struct greeter *self)
{
    return (int)self->greeted;
}

CMRX_VTABLE(struct greeter_vtable, greeter_vtable) = {greet, count};
CMRX_EXPORT struct greeter greeter_service = {&greeter_vtable, 0};

static int greeter_main(void *arg)
{
    (void)arg;
    cmrx_printf("greeter: ready in its own memory\n");
    return 0;
}

CMRX_THREAD(greeter_main, NULL);
