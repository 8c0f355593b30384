/* Attack: call a service that serves one other process.
 *
 * The vault keeps a word for vault_owner and trusts its callers: it
 * declares vault_owner its only client (CALLERS) instead of checking
 * cmrx_rpc_caller() in every method, as a driver serving one service
 * would (a block device for the file system, a NIC for the network
 * stack). We read and overwrite the word. Both calls must be CMRX_EPERM,
 * and the owner must find its word as it left it. */
#include "attack.h"

static int attack(void *arg)
{
    (void)arg;
    int got = cmrx_rpc_call(&vault, get);
    int put = cmrx_rpc_call(&vault, put, 0xBADu);
    cmrx_printf("attack_callers: get %d, put %d\n", got, put);
    if (got != CMRX_EPERM || put != CMRX_EPERM) {
        ATTACK_SUCCEEDED("a process called a service that does not serve it");
    }
    attack_done(2);
    return 0;
}
CMRX_THREAD(attack, NULL);
