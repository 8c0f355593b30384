/* A client with every right (SYSTEM, UPDATER): calls the attacker's lure
 * service every 2 ms. The rights are its own code's, not its thread's: a
 * method the thread runs elsewhere must not have them. */
#include "attack.h"

CMRX_SHARED static uint32_t mailbox[4];

static int client(void *arg)
{
    (void)arg;
    for (uint32_t n = 0;; n++) {
        cmrx_usleep(2000);
        mailbox[0] = n;
        cmrx_rpc_call(&lure, log, (uint32_t)(uintptr_t)mailbox);
    }
    return 0;
}
CMRX_THREAD(client, NULL);
