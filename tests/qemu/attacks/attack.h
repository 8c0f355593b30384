/* The attack suite's common parts. Each attack firmware runs three
 * processes: a victim holding secrets (in its memory, on its stack, in its
 * FPU registers) and a heartbeat, a judge (SYSTEM) that checks both from
 * outside, and an attacker that tries one class of attack against today's
 * documented API. The test fails when the attacker prints ATTACK
 * SUCCEEDED, the victim sees a secret changed (CHECK FAILED), the
 * heartbeat stalls, the kernel hangs (QEMU times out) or the host is
 * touched (run.cmake checks). */
#ifndef CMRX_ATTACK_H
#define CMRX_ATTACK_H

#include <cmrx/cmrx.h>
#include <stdint.h>

/* The victim's secret: SECRET_WORDS words, word i is SECRET(i). The
 * attackers know the value (to tell whether they got it), not where it
 * is unless the victim exports its address. */
#define SECRET_WORDS 8u
#define SECRET(i)    (0x5EC20000u ^ (0x01010101u * (uint32_t)((i) + 1u)))

/** Report a breach: the runner fails the test on this text. */
#define ATTACK_SUCCEEDED(...)                                                                      \
    do {                                                                                           \
        cmrx_printf("ATTACK SUCCEEDED: ");                                                         \
        cmrx_printf(__VA_ARGS__);                                                                  \
        cmrx_printf("\n");                                                                         \
    } while (0)

/** Count the secret words among @p n words at @p p. */
static inline unsigned secret_hits(const volatile uint32_t *p, unsigned n)
{
    unsigned hits = 0;
    for (unsigned i = 0; i < n; i++) {
        for (unsigned k = 0; k < SECRET_WORDS; k++) {
            if (p[i] == SECRET(k)) {
                hits++;
                break;
            }
        }
    }
    return hits;
}

/* --- the victim's service ------------------------------------------------ */
struct victim;

#define PROBE_BEATS   0u /* heartbeats so far */
#define PROBE_MAX_GAP 1u /* longest time between two heartbeats, in us */
#define PROBE_SECRETS 2u /* 1 while every secret is intact */

struct victim_vtable {
    /** One of the PROBE_* figures. */
    int (*probe)(struct victim *self, uint32_t what);
    /** Work with the secret in every FPU register (FPU boards), then return. */
    int (*fp_work)(struct victim *self);
    /** Work with the secret in a deep local array, then return. */
    int (*stack_work)(struct victim *self);
};

struct victim {
    const struct victim_vtable *vtable;
};

extern struct victim victim;

/* A second interface of the victim: bump a counter its object points to. */
struct tally;
struct tally_vtable {
    int (*bump)(struct tally *self);
};
struct tally {
    const struct tally_vtable *vtable;
    volatile uint32_t *target;
};
extern struct tally tally;
/** The tally vtable's address: the firmware image is no secret. */
extern const struct tally_vtable *const victim_tally_vtable;
/** The victim's secret in its .bss (exported: attackers know where it is). */
extern volatile uint32_t victim_secret[SECRET_WORDS];
/** Where its heartbeat thread keeps the secret on its stack. */
extern volatile uint32_t *volatile victim_stack_secret;

/* --- a service the victim calls (provided by the attacker) ------------- */
struct lure;
struct lure_vtable {
    /** Called by the victim's client thread with its secrets fresh in its
     *  registers and on its dead stack. */
    int (*log)(struct lure *self, uint32_t value);
};
struct lure {
    const struct lure_vtable *vtable;
};
extern struct lure lure;

/* --- a service with one client (the vault, vault.c) ------------------- */
/* The vault keeps a word for vault_owner, the one process it declares it
 * serves (CALLERS vault_owner): anyone else calling it is refused by the
 * kernel, whatever the vault's methods would check. */
#define VAULT_CONTENT 0x5EC2u
struct vault;
struct vault_vtable {
    /** Keep @p value. */
    int (*put)(struct vault *self, uint32_t value);
    /** @return the value kept. */
    int (*get)(struct vault *self);
};
struct vault {
    const struct vault_vtable *vtable;
};
extern struct vault vault;

/* --- a service that keeps clients' words (the notary, notary.c) ------- */
/* The notary keeps a word per note for any client and counts visits
 * through a counter object, whose method adds to the word the object
 * points at; it holds its own secret and checks it every millisecond. */
#define NOTARY_NOTES 8u
struct notes;
struct notes_vtable {
    /** Keep @p word as note @p i. */
    int (*put)(struct notes *self, uint32_t i, uint32_t word);
};
struct notes {
    const struct notes_vtable *vtable;
};
extern struct notes notes;
struct counter;
struct counter_vtable {
    /** Add @p n to the word the object counts. @return the sum. */
    int (*add)(struct counter *self, uint32_t n);
};
struct counter {
    const struct counter_vtable *vtable;
    volatile uint32_t *target;
};
extern struct counter visits;
/* Where the notes and the secret are, and the counter's vtable: a map
 * file is no secret. */
extern volatile uint32_t notary_notes[NOTARY_NOTES];
extern volatile uint32_t notary_secret[SECRET_WORDS];
extern const struct counter_vtable *const notary_counter_vtable;

/* --- the judge ---------------------------------------------------------- */
struct judge;
struct judge_vtable {
    /** The attacker is done: @p attempts attacks were tried and contained. */
    int (*done)(struct judge *self, uint32_t attempts);
};
struct judge {
    const struct judge_vtable *vtable;
};
extern struct judge judge;

/** Tell the judge the attacker is done (from any attacker thread). */
static inline void attack_done(unsigned attempts)
{
    cmrx_printf("attacker: done, %u attempts\n", attempts);
    cmrx_rpc_call(&judge, done, attempts);
}

/** FPU: load every register s0-s31 and FPSCR with the secret pattern. */
#if defined(__ARM_FP)
static inline void fp_load_secret(void)
{
    static const uint32_t pattern[32] = {
        SECRET(0), SECRET(1), SECRET(2), SECRET(3), SECRET(4), SECRET(5), SECRET(6), SECRET(7),
        SECRET(0), SECRET(1), SECRET(2), SECRET(3), SECRET(4), SECRET(5), SECRET(6), SECRET(7),
        SECRET(0), SECRET(1), SECRET(2), SECRET(3), SECRET(4), SECRET(5), SECRET(6), SECRET(7),
        SECRET(0), SECRET(1), SECRET(2), SECRET(3), SECRET(4), SECRET(5), SECRET(6), SECRET(7)};
    __asm volatile("vldmia %0, {s0-s31}" : : "r"(pattern) : "memory");
}

/** FPU: how many of s0-s31 hold a secret word. Out of line: its buffer
 *  must not push the victim's stack secret away from its stack's top. */
__attribute__((noinline, unused)) static unsigned fp_secret_hits(void)
{
    uint32_t regs[32];
    __asm volatile("vstmia %0, {s0-s31}" : : "r"(regs) : "memory");
    return secret_hits(regs, 32);
}
#endif

#endif
