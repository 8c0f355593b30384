/* Attack: make the kernel read memory for us as RPC arguments.
 *
 * An RPC call's fifth and sixth arguments used to travel on the caller's
 * stack, just above the exception frame: with the stack pointer at the
 * very end of our .bss, the kernel would read them from the next region,
 * which is not ours, and hand them to the method (our own). Now the
 * library passes them in r12 and lr and the kernel takes all six from the
 * exception frame, so it reads nothing beyond what the CPU stacked. The
 * attack makes the call itself (the library's stub would fault on the
 * load, in our own thread) with the stack pointer at the end of our
 * memory: it must be refused, since the frame lies outside the stack
 * window, and the method must see nothing. */
#include "attack.h"

#include <cmrx/sys/syscalls.h>

struct echo;
struct echo_vtable {
    int (*take)(struct echo *self, uint32_t a, uint32_t b, uint32_t c, uint32_t d);
};
struct echo {
    const struct echo_vtable *vtable;
};

static volatile uint32_t got[2];
/* The exception frame goes here; its size puts .bss first in RAM, below
 * the stacks (the kernel once checked only the stack's top). */
static volatile uint32_t room[1024];
static volatile uintptr_t region_end;

/* Find where our memory ends: read on from .bss's end until the MPU says
 * no (the fault kills this thread, which is the point). */
static int probe(void *arg)
{
    (void)arg;
    for (uintptr_t a = region_end;; a += 4) {
        (void)*(volatile uint32_t *)a;
        region_end = a + 4;
    }
    return 0;
}

static int take(struct echo *self, uint32_t a, uint32_t b, uint32_t c, uint32_t d)
{
    (void)self, (void)a, (void)b;
    got[0] = c;
    got[1] = d;
    return 0;
}

CMRX_VTABLE(struct echo_vtable, echo_vt) = {take};
static struct echo echo = {&echo_vt};

extern uint8_t __cmrx_p_attack_rpcargs_bss_end[];

static int attack(void *arg)
{
    (void)arg;
    room[0] = 1;
    region_end = ((uintptr_t)__cmrx_p_attack_rpcargs_bss_end + 3u) & ~(uintptr_t)3u;
    cmrx_thread_join(cmrx_thread_create(probe, NULL, 20), NULL);
    uintptr_t end = region_end & ~(uintptr_t)7u;
    cmrx_printf("attack_rpcargs: our memory ends at %p\n", (void *)end);
    register uint32_t r0 __asm("r0") = (uint32_t)(uintptr_t)&echo;
    register uint32_t r1 __asm("r1") = 0;
    register uint32_t r2 __asm("r2") = 0;
    register uint32_t r3 __asm("r3") = 0;
    register uint32_t top __asm("r12") = (uint32_t)end;
    __asm volatile("mov r4, sp\n\t"
                   "mov sp, r12\n\t"
                   "svc %[n]\n\t"
                   "mov sp, r4\n\t"
                   : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3), "+r"(top)
                   : [n] "i"(CMRX_SYS_RPC_CALL)
                   : "r4", "lr", "memory");
    int rc = (int)r0;
    cmrx_printf("attack_rpcargs: the call with arguments past our memory: %d\n", rc);
    if (rc == 0) {
        ATTACK_SUCCEEDED("the kernel read 8 bytes past our memory at %p for us: %08lx %08lx",
                         (void *)end, (unsigned long)got[0], (unsigned long)got[1]);
    }
    attack_done(1);
    return 0;
}
CMRX_THREAD(attack, NULL);
