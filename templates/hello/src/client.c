/* The client process of ${name}: asks the greeter for greetings, then ends
 * the firmware. */
#include <cmrx/cmrx.h>

#include "greeter.h"

/* The greeter may write here while a call from this process is in flight. */
CMRX_SHARED static char greeting[GREETING_MAX];

static int client_main(void *arg)
{
    (void)arg;
    for (unsigned n = 1; n <= 3; n++) {
        /* TODO(rpc): call the greeter's greet(greeting, sizeof(greeting), n)
         * over RPC and check its result; the thread will run in the greeter's
         * process for the call and come back. Until then the client writes
         * the greeting itself. */
        cmrx_printf("client: %s%u\n", greeting[0] ? greeting : "hello #", n);
        cmrx_usleep(50000);
    }
    cmrx_printf("client: done on ${board}\n");
    cmrx_shutdown(0);
    return 0;
}

CMRX_THREAD(client_main, NULL);
