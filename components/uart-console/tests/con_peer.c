/* uart-console test, a second client: prints while con_main does, after
 * con_main's bad calls; its lines must come out whole. */
#include "uart_console.h"

static int peer_thread(void *arg)
{
    (void)arg;
    cmrx_usleep(2000);
    for (int i = 0; i < 10; i++) {
        console_printf("con_peer: line %d abcdefghijklmnopqrstuvwxyz\n", i);
        cmrx_usleep(700);
    }
    console_printf("con_peer: still served\n");
    return 0;
}

CMRX_THREAD(peer_thread, NULL);
