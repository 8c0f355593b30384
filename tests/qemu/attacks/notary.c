/* The notary: keeps a word per note for any client (as a queue or a file
 * system keeps what its clients send), counts visits through a counter
 * object whose method adds to the word the object points at, and checks
 * its own secret every millisecond. Its methods trust `self`: the kernel
 * says which objects are the notary's. */
#include "attack.h"

CMRX_EXPORT volatile uint32_t notary_secret[SECRET_WORDS] = {
    SECRET(0), SECRET(1), SECRET(2), SECRET(3), SECRET(4), SECRET(5), SECRET(6), SECRET(7)};
CMRX_EXPORT volatile uint32_t notary_notes[NOTARY_NOTES];
static volatile uint32_t visit_count;

static int put(struct notes *self, uint32_t i, uint32_t word)
{
    (void)self;
    if (i >= NOTARY_NOTES) {
        return CMRX_EINVAL;
    }
    notary_notes[i] = word;
    return 0;
}

static int add(struct counter *self, uint32_t n)
{
    return (int)(*self->target += n);
}

CMRX_VTABLE(struct notes_vtable, notes_vt) = {put};
CMRX_VTABLE(struct counter_vtable, counter_vt) = {add};
CMRX_EXPORT struct notes notes = {&notes_vt};
CMRX_EXPORT struct counter visits = {&counter_vt, &visit_count};
CMRX_EXPORT const struct counter_vtable *const notary_counter_vtable = &counter_vt;

static int watch(void *arg)
{
    (void)arg;
    for (int said = 0;; cmrx_usleep(1000)) {
        for (unsigned i = 0; i < SECRET_WORDS && !said; i++) {
            if (notary_secret[i] != SECRET(i)) {
                cmrx_printf("CHECK FAILED notary: its secret changed (word %u: %08lx)\n", i,
                            (unsigned long)notary_secret[i]);
                said = 1;
            }
        }
    }
    return 0;
}
CMRX_THREAD(watch, NULL);
