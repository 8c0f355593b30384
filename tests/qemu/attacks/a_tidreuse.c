/* Attack: make a stale thread id name a new thread.
 *
 * A thread id carries a generation so that an id kept after its thread
 * was joined never names a later thread in the same slot. If the
 * generation wraps, it does: after enough reuses of the slot, a saved id
 * controls whatever thread runs there now. */
#include "attack.h"

static int quick(void *arg)
{
    (void)arg;
    return 0;
}

/* Far more than an 8-bit generation survives; the 23 bits of today's
 * ids would take 8 million. */
#define REUSES 2048u

static int attack(void *arg)
{
    (void)arg;
    cmrx_tid_t first = cmrx_thread_create(quick, NULL, 20);
    cmrx_thread_join(first, NULL);
    unsigned n = 1;
    for (; n < REUSES; n++) {
        cmrx_tid_t t = cmrx_thread_create(quick, NULL, 20);
        if (t == first) {
            break;
        }
        cmrx_thread_join(t, NULL);
    }
    if (n < REUSES) {
        ATTACK_SUCCEEDED("a stale thread id named a new thread after %u reuses of its slot", n);
        cmrx_thread_join(first, NULL);
    } else {
        cmrx_printf("attack_tidreuse: no id repeated in %u reuses of a slot\n", n);
    }
    attack_done(1);
    return 0;
}
CMRX_THREAD(attack, NULL);
