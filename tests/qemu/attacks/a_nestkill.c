/* Attack (on the kernel's own bookkeeping): a SYSTEM process kills a
 * process its own thread is nested in.
 *
 * The thread calls P, P calls back into us (S -> P -> S), and there we
 * kill P, then restart it. The call into P must end with CMRX_ERPC_DEAD
 * and the thread go on in S, where it made that call (the nested method,
 * which ran in P's call, is gone with it); it must not be left spinning in
 * the return trampoline, nor the kernel confused about where it is. */
#include "attack.h"
#include "nest_iface.h"

static int back(struct nest_s *self, uint32_t op)
{
    (void)self;
    /* P is process 3 (judge, victim, us, then P). */
    if (op != 99) {
        cmrx_process_control(3, op);
        cmrx_printf("CHECK FAILED attack_nestkill: the nested method went on after the kill\n");
    }
    return 42;
}

CMRX_VTABLE(struct nest_s_vtable, nest_s_vt) = {back};
CMRX_EXPORT struct nest_s nest_s = {&nest_s_vt};

static int attack(void *arg)
{
    (void)arg;
    int r = cmrx_rpc_call(&nest_p, relay, CMRX_PROC_KILL);
    cmrx_printf("attack_nestkill: S -> P -> S, kill P: the call returned %d\n", r);
    int ok = r == CMRX_ERPC_DEAD;
    /* P is dead: start it again, then the same with a restart. */
    cmrx_process_control(3, CMRX_PROC_RESTART);
    cmrx_usleep(1000);
    r = cmrx_rpc_call(&nest_p, relay, CMRX_PROC_RESTART);
    cmrx_printf("attack_nestkill: S -> P -> S, restart P: the call returned %d\n", r);
    ok = ok && r == CMRX_ERPC_DEAD;
    cmrx_usleep(1000);
    r = cmrx_rpc_call(&nest_p, relay, 99);
    cmrx_printf("attack_nestkill: P answers again: %d\n", r);
    if (ok && r == 42) {
        attack_done(2);
    }
    return 0;
}
CMRX_THREAD(attack, NULL);
