/* Attack: forge a service object in the callee's own memory.
 *
 * The notary keeps words its clients give it (in its .bss, as any service
 * keeps what its clients send). We give it two: its counter's vtable and
 * the address of its secret, then call the place it keeps them as an
 * object. The object lies in the notary's memory and its first word is
 * one of the notary's vtables; if that is all the kernel checks, the
 * notary's own method reads its secret for us and adds to it. Only the
 * objects the notary declared may be called. */
#include "attack.h"

static int attack(void *arg)
{
    (void)arg;
    int p0 = cmrx_rpc_call(&notes, put, 0, (uint32_t)(uintptr_t)notary_counter_vtable);
    int p1 = cmrx_rpc_call(&notes, put, 1, (uint32_t)(uintptr_t)&notary_secret[2]);
    const void *forged = (const void *)&notary_notes[0];
    int read = _cmrx_rpc_call(forged, 0, 0, 0, 0, 0);
    int wrote = _cmrx_rpc_call(forged, 0, 1, 0, 0, 0);
    /* The real counter still answers. */
    int real = cmrx_rpc_call(&visits, add, 1);
    cmrx_printf("attack_objforge: notes %d %d; the forged object: read %d, add %d; the counter %d\n",
                p0, p1, read, wrote, real);
    if (read >= 0 || wrote >= 0) {
        ATTACK_SUCCEEDED("a forged object in the notary's memory ran its method (read %08x)",
                         (unsigned)read);
    }
    attack_done(2);
    return 0;
}
CMRX_THREAD(attack, NULL);
