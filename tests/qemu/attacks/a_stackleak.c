/* Attack: read stack contents the other side of an RPC left behind.
 *
 * The victim calls our `lure` service right after a function of its own
 * put its secret in a deep local array; the method scans the stack it was
 * given. Then we call the victim's method that does the same, and scan
 * the stack below us after it returns. */
#include "attack.h"

static volatile unsigned seen_in_call = 0xFFFFFFFFu;

/* Scan n words below the caller's stack pointer (a function call of its
 * own: the locals here are above what it scans). */
__attribute__((noinline)) static unsigned scan_below(unsigned n)
{
    volatile uint32_t mark = 0;
    const volatile uint32_t *p = &mark;
    return secret_hits(p - n, n);
}

static int log_call(struct lure *self, uint32_t value)
{
    (void)self;
    (void)value;
    if (seen_in_call == 0xFFFFFFFFu) {
        seen_in_call = scan_below(256);
    }
    return 0;
}

CMRX_VTABLE(struct lure_vtable, lure_vt) = {log_call};
CMRX_EXPORT struct lure lure = {&lure_vt};

static int attack(void *arg)
{
    (void)arg;
    while (seen_in_call == 0xFFFFFFFFu) {
        cmrx_usleep(1000);
    }
    if (seen_in_call > 0) {
        ATTACK_SUCCEEDED("an RPC method read %u secret words of its caller's dead stack",
                         seen_in_call);
    }
    cmrx_rpc_call(&victim, stack_work);
    unsigned back = scan_below(192);
    if (back > 0) {
        ATTACK_SUCCEEDED("a caller read %u secret words its callee left on the stack", back);
    }
    attack_done(2);
    return 0;
}
CMRX_THREAD(attack, NULL);
