/* The greeter process of ${name}: a service other processes call.
 *
 * TODO(rpc): when the RPC API is in <cmrx/cmrx.h>, define the service here:
 * a vtable with a method greet(char *buf, unsigned len, unsigned n) that
 * formats "hello #n" into the caller's shared buffer, and an instance of the
 * service whose first member points to that vtable. Until then the greeter
 * only announces itself; it has no way to be called. */
#include <cmrx/cmrx.h>

#include "greeter.h"

static unsigned greeted; /* private to this process: callers cannot see it */

static int greeter_main(void *arg)
{
    (void)arg;
    cmrx_printf("greeter: ready in its own memory (greeted %u so far)\n", greeted);
    return 0;
}

CMRX_THREAD(greeter_main, NULL);
