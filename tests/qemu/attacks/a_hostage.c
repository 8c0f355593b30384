/* Attack: a service that never returns holds a client's thread hostage,
 * so the client, killed by its fault policy, can never restart.
 *
 * The client (hostage_client.c, policy restart) calls `trap`, which
 * ignores every error and never returns; another thread of the client
 * then faults. The client must restart anyway, within a bounded time. */
#include "attack.h"
#include "hostage_iface.h"

static int hold(struct trap *self)
{
    (void)self;
    for (;;) {
        cmrx_usleep(1000); /* CMRX_EKILLED once the client is killed: ignored */
    }
    return 0;
}

CMRX_VTABLE(struct trap_vtable, trap_vt) = {hold};
CMRX_EXPORT struct trap trap = {&trap_vt};

static int attack(void *arg)
{
    (void)arg;
    attack_done(1);
    return 0;
}
CMRX_THREAD(attack, NULL);
