/* The vault's one client: stores VAULT_CONTENT before the attacker runs
 * and, once the attacker has tried, checks the vault still holds it. */
#include "attack.h"

static int owner_main(void *arg)
{
    (void)arg;
    int put = cmrx_rpc_call(&vault, put, VAULT_CONTENT);
    if (put != 0) {
        cmrx_printf("CHECK FAILED vault_owner: put %d\n", put);
        cmrx_shutdown(1);
    }
    cmrx_usleep(200000); /* the attacker runs at once; the judge ends at 300 ms */
    int got = cmrx_rpc_call(&vault, get);
    if (got != (int)VAULT_CONTENT) {
        cmrx_printf("CHECK FAILED vault_owner: the vault holds 0x%x, not 0x%x\n", (unsigned)got,
                    VAULT_CONTENT);
        cmrx_shutdown(1);
    }
    cmrx_printf("vault_owner: put 0, the vault still holds 0x%x\n", (unsigned)got);
    return 0;
}
CMRX_THREAD(owner_main, NULL);
