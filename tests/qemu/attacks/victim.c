/* The victim: a secret in its memory, on its heartbeat thread's stack and
 * (on FPU boards) in that thread's FPU registers; a heartbeat every
 * millisecond that also checks every secret is unchanged; a service the
 * judge and attackers may call. Built with VICTIM_LURE it also runs a
 * client thread that calls the attacker's `lure` service with its secrets
 * fresh on its dead stack and in its registers. */
#include "attack.h"

CMRX_EXPORT volatile uint32_t victim_secret[SECRET_WORDS];
CMRX_EXPORT volatile uint32_t *volatile victim_stack_secret;

static volatile uint32_t beats;
static volatile uint32_t max_gap;
static volatile int secrets_ok = 1;

static void verify(const volatile uint32_t *p, const char *where)
{
    for (unsigned i = 0; i < SECRET_WORDS; i++) {
        if (p[i] != SECRET(i)) {
            cmrx_printf("CHECK FAILED victim: the secret in its %s changed (word %u: %08lx)\n",
                        where, i, (unsigned long)p[i]);
            secrets_ok = 0;
        }
    }
}

/* The secret in a deep local array that is dead once this returns. */
__attribute__((noinline)) static void dirty_stack(void)
{
    /* Written to be left behind on the stack, never read: -Wall would say so. */
    volatile uint32_t deep[256] __attribute__((unused));
    for (unsigned i = 0; i < 256; i++) {
        deep[i] = SECRET(i % SECRET_WORDS);
    }
}

static int heartbeat(void *arg)
{
    (void)arg;
    volatile uint32_t local[SECRET_WORDS];
    for (unsigned i = 0; i < SECRET_WORDS; i++) {
        local[i] = SECRET(i);
        victim_secret[i] = SECRET(i);
    }
    victim_stack_secret = local;
    uint32_t last = cmrx_time_us();
    for (;;) {
#if defined(__ARM_FP)
        fp_load_secret();
#endif
        cmrx_usleep(1000);
#if defined(__ARM_FP)
        if (fp_secret_hits() != 32) {
            cmrx_printf("CHECK FAILED victim: its FPU registers changed\n");
            secrets_ok = 0;
        }
#endif
        uint32_t now = cmrx_time_us();
        if (now - last > max_gap) {
            max_gap = now - last;
        }
        last = now;
        beats++;
        verify(victim_secret, "memory");
        verify(local, "stack");
    }
    return 0;
}
CMRX_THREAD(heartbeat, NULL);

#if defined(VICTIM_LURE)
/* Where it passes buffers to the services it calls. */
CMRX_SHARED static uint32_t mailbox[4];

static int client(void *arg)
{
    (void)arg;
    for (uint32_t n = 0;; n++) {
        cmrx_usleep(2000);
        dirty_stack();
#if defined(__ARM_FP)
        fp_load_secret();
#endif
        /* r4-r11 hold the secret too when the call is made. */
        register uint32_t r4 __asm("r4") = SECRET(0);
        register uint32_t r5 __asm("r5") = SECRET(1);
        register uint32_t r6 __asm("r6") = SECRET(2);
        register uint32_t r7 __asm("r7") = SECRET(3);
        __asm volatile("" : : "r"(r4), "r"(r5), "r"(r6), "r"(r7));
        mailbox[0] = n;
        cmrx_rpc_call(&lure, log, (uint32_t)(uintptr_t)mailbox);
    }
    return 0;
}
CMRX_THREAD_PRIO(client, NULL, 12);
#endif

static int probe(struct victim *self, uint32_t what)
{
    (void)self;
    switch (what) {
    case PROBE_BEATS:
        return (int)beats;
    case PROBE_MAX_GAP:
        return (int)max_gap;
    case PROBE_SECRETS:
        return secrets_ok;
    default:
        return CMRX_EINVAL;
    }
}

static int fp_work(struct victim *self)
{
    (void)self;
#if defined(__ARM_FP)
    fp_load_secret();
#endif
    return 0;
}

static int stack_work(struct victim *self)
{
    (void)self;
    dirty_stack();
    return 0;
}

CMRX_VTABLE(struct victim_vtable, victim_vt) = {probe, fp_work, stack_work};
CMRX_EXPORT struct victim victim = {&victim_vt};

static volatile uint32_t tally_count;

static int bump(struct tally *self)
{
    return (int)++*self->target;
}

CMRX_VTABLE(struct tally_vtable, tally_vt) = {bump};
CMRX_EXPORT struct tally tally = {&tally_vt, &tally_count};
CMRX_EXPORT const struct tally_vtable *const victim_tally_vtable = &tally_vt;
