/* The client process of ${name}: asks the greeter for greetings over RPC,
 * then ends the firmware. */
#include "greeter.h"

/* The greeter may write here while a call from this process is in flight. */
CMRX_SHARED static char greeting[GREETING_MAX];

static int client_main(void *arg)
{
    (void)arg;
    for (unsigned n = 1; n <= 3; n++) {
        /* The thread moves into the greeter's process for the call. */
        int len = cmrx_rpc_call(&greeter_service, greet, greeting, sizeof(greeting), n);
        if (len < 0) {
            cmrx_printf("client: the greeter failed (%d)\n", len);
            cmrx_shutdown(1);
        }
        cmrx_printf("client: %s\n", greeting);
    }
    /* CMRX_BOARD: the board built for (cmrx run --board B says B). */
    cmrx_printf("client: %d greetings, done on %s\n", cmrx_rpc_call(&greeter_service, count),
                CMRX_BOARD);
    cmrx_shutdown(0);
    return 0;
}

CMRX_THREAD(client_main, NULL);
