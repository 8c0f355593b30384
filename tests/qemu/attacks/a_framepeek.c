/* Attack: read past the ends of the stack window a method gets on its
 * caller's thread.
 *
 * The victim calls our `lure` service; our process declares a 256-byte
 * stack budget. The method starts with its stack pointer 8 bytes below
 * the window's limit, right under the call frame that holds the victim's
 * saved registers; below the budget lies the victim's own stack, not
 * scrubbed for the call. One call reads the word at the limit (the MPU
 * region's end: PMSAv8's limit is inclusive, so one granule too many
 * would map the frame), the next one reads 516 bytes below the limit,
 * below the budget on every MPU. Both must fault (the call ends with
 * CMRX_ERPC_FAULT; our policy only ends the call). */
#include "attack.h"

static volatile unsigned probes, read_ok;
static volatile uint32_t seen;

/* Called with the stack pointer the method started with. */
__attribute__((used)) static int log_impl(struct lure *self, uintptr_t entry_sp)
{
    (void)self;
    unsigned n = probes++;
    if (n >= 2) {
        return 0;
    }
    uintptr_t limit = entry_sp + 8u; /* the kernel starts a method at limit - 8 */
    uintptr_t at = n == 0 ? limit : limit - 516u;
    seen = *(volatile uint32_t *)at; /* faults, or the attack worked */
    read_ok |= 1u << n;
    return 0;
}

/* The method's entry: pass the untouched stack pointer on. */
__attribute__((naked)) static int log_entry(struct lure *self, uint32_t value)
{
    (void)self;
    (void)value;
    __asm volatile("mov r1, sp\n\t"
                   "b log_impl\n");
}

CMRX_VTABLE(struct lure_vtable, lure_vt) = {log_entry};
CMRX_EXPORT struct lure lure = {&lure_vt};

static int attack(void *arg)
{
    (void)arg;
    while (probes < 3) {
        cmrx_usleep(1000);
    }
    cmrx_printf("attack_framepeek: read at the window's limit %s, below the budget %s\n",
                (read_ok & 1u) ? "worked" : "faulted", (read_ok & 2u) ? "worked" : "faulted");
    if (read_ok != 0) {
        ATTACK_SUCCEEDED("a method read outside its window (%08lx)", (unsigned long)seen);
    }
    attack_done(2);
    return 0;
}
CMRX_THREAD(attack, NULL);
