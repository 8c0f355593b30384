/* Updating one process while the others run (docs/updating.md).
 *
 * An updatable process has two flash slots; the commit log names the one
 * it runs from (commit_log.c). An updater stages a new image in the other slot and
 * commits it: the kernel checks everything the image claims against the
 * process's declaration and the running version (nothing in a staged image
 * is trusted: an updater may be hostile, a transfer may be cut), then kills
 * the old version, appends to the commit log and restarts the process from
 * the new image. A reset before the entry is written boots the old slot,
 * which nobody wrote; after it, the new one, which was verified complete.
 */
#include "kernel.h"

#include <string.h>

#include <cmrx/wait.h>

#include "sha256.h"

static const char *const slot_name[2] = {"A", "B"};

static unsigned slot_index(const struct cmrx_process *p, const struct cmrx_image *img)
{
    return img == p->update->slot[1] ? 1u : 0u;
}

static bool in_range(uintptr_t a, uintptr_t b, uintptr_t lo, uintptr_t hi)
{
    return lo <= a && a <= b && b <= hi;
}

/* An interface name that ends within [lo, hi), at most
 * CMRX_UPDATE_IFACE_NAME_MAX bytes with its NUL. */
static bool name_within(const char *s, uintptr_t lo, uintptr_t hi)
{
    uintptr_t a = (uintptr_t)s;
    if (a < lo || a >= hi) {
        return false;
    }
    size_t room = hi - a < CMRX_UPDATE_IFACE_NAME_MAX ? hi - a : CMRX_UPDATE_IFACE_NAME_MAX;
    return memchr(s, 0, room) != NULL;
}

/* Interfaces the image in @p img lists (its header checked). */
static uint32_t iface_count(const struct cmrx_image *img)
{
    return (uint32_t)(img->vtables_end - img->vtables);
}

/* Objects of other processes the image in its header calls (checked). */
static uint32_t call_count(const struct cmrx_image *img)
{
    return (uint32_t)(img->calls_end - img->calls);
}

/* Whether the header's text field of `size` bytes holds `want` and its
 * end. One pass: strlen() then memcmp() took 350 instructions for the
 * three fields, in the commit's system call. */
static bool field_is(const char *field, size_t size, const char *want)
{
    for (size_t i = 0; i < size; i++) {
        if (field[i] != want[i]) {
            return false;
        }
        if (want[i] == '\0') {
            return true;
        }
    }
    return false; /* want does not fit */
}

#define BAD_HASH "the image's SHA-256 does not match (corrupt or incomplete)"

/* Does the header of the image in slot n of p fit p: its format, this
 * board, the slot and the reservation, its tables inside the image? NULL,
 * or why not. Constant time: it reads the header only. */
static const char *header_check(const struct cmrx_process *p, unsigned n)
{
    const struct cmrx_image *img = p->update->slot[n];
    uintptr_t base = (uintptr_t)img;
    if (img->magic != CMRX_IMAGE_MAGIC || img->format != CMRX_IMAGE_FORMAT ||
        img->header_size != sizeof(*img)) {
        return "no image header of format 2";
    }
    if (!field_is(img->name, sizeof(img->name), p->name)) {
        return "the image is of another process";
    }
    if (!field_is(img->board, sizeof(img->board), cmrx_firmware_board) ||
        !field_is(img->cpu, sizeof(img->cpu), cmrx_firmware_cpu)) {
        return "the image is for another board or CPU";
    }
    if (img->size < sizeof(*img) || img->size > p->update->slot_size) {
        return "the image is larger than the process's flash reserve";
    }
    if (img->slot != base) {
        return "the image is linked for another slot";
    }
    uintptr_t ram = (uintptr_t)p->data_start, ram_end = (uintptr_t)p->bss_end;
    if (img->ram_base != ram || img->ram_size != ram_end - ram) {
        return "the image is linked for another RAM reserve";
    }
    if (img->threads > p->max_threads || img->timers > p->max_timers) {
        return "the image needs more threads or timers than the process has";
    }
    /* Its RAM and its tables: inside the reserve and the image. */
    uintptr_t lo = base + sizeof(*img), hi = base + img->size;
    uintptr_t de = (uintptr_t)img->data_end, ds = (uintptr_t)img->data_start;
    uintptr_t dl = (uintptr_t)img->data_load;
    if ((uintptr_t)img->data_start != ram || !in_range(ds, de, ram, ram_end) ||
        !in_range((uintptr_t)img->bss_start, (uintptr_t)img->bss_end, de, ram_end) ||
        !in_range((uintptr_t)img->exports, (uintptr_t)img->exports_end, ds, de) || dl < lo ||
        dl > hi || de - ds > hi - dl) {
        return "the image's memory lies outside its reserve";
    }
    uintptr_t as = (uintptr_t)img->autostart, ae = (uintptr_t)img->autostart_end;
    uintptr_t vs = (uintptr_t)img->vtables, ve = (uintptr_t)img->vtables_end;
    uintptr_t cs = (uintptr_t)img->calls, ce = (uintptr_t)img->calls_end;
    if (!in_range(as, ae, lo, hi) || (ae - as) % sizeof(struct cmrx_autostart) != 0 ||
        (as & 3u) != 0 || !in_range(vs, ve, lo, hi) ||
        (ve - vs) % sizeof(struct cmrx_vtable_desc) != 0 || (vs & 3u) != 0 ||
        !in_range(cs, ce, lo, hi) || (ce - cs) % sizeof(struct cmrx_call_desc) != 0 ||
        (cs & 3u) != 0) {
        return "the image's tables lie outside it";
    }
    if ((ae - as) / sizeof(struct cmrx_autostart) > img->threads) {
        return "the image needs more threads or timers than the process has";
    }
    if ((ve - vs) / sizeof(struct cmrx_vtable_desc) > CMRX_UPDATE_MAX_INTERFACES) {
        return "the image serves more interfaces than an updatable process may (8)";
    }
    if ((ce - cs) / sizeof(struct cmrx_call_desc) > CMRX_UPDATE_MAX_CALLS) {
        return "the image calls more objects than an updatable process may (16)";
    }
    return NULL;
}

/* Is the whole image in slot n of p as it was sealed? At boot, before
 * the scheduler starts: a commit hashes it a slice at a time (update_step). */
static const char *hash_check(const struct cmrx_process *p, unsigned n)
{
    const struct cmrx_image *img = p->update->slot[n];
    static const uint8_t zero[32];
    uint8_t digest[CMRX_SHA256_LEN];
    struct cmrx_sha256 h;
    size_t at = offsetof(struct cmrx_image, sha256);
    cmrx_sha256_init(&h);
    cmrx_sha256_update(&h, img, at);
    cmrx_sha256_update(&h, zero, sizeof(zero));
    cmrx_sha256_update(&h, (const uint8_t *)img + at + sizeof(zero), img->size - at - sizeof(zero));
    cmrx_sha256_final(&h, digest);
    if (memcmp(digest, img->sha256, sizeof(digest)) != 0) {
        return BAD_HASH;
    }
    return NULL;
}

/* The tables of a hashed image (whole, as it was sealed: the hash proves
 * no origin, an updater may seal what it likes). Its threads start in its
 * own code (at most its thread count, header_check); NULL, or why not. */
static const char *autostart_check(const struct cmrx_image *img)
{
    uintptr_t lo = (uintptr_t)img + sizeof(*img), hi = (uintptr_t)img + img->size;
    for (const struct cmrx_autostart *a = img->autostart; a < img->autostart_end; a++) {
        uintptr_t e = (uintptr_t)a->entry & ~(uintptr_t)1u;
        if (e < lo || e >= hi || !access_code_ok((const void *)(uintptr_t)a->entry)) {
            return "an autostart thread of the image starts outside it";
        }
    }
    return NULL;
}

/* Its interface i is described inside it, by a name of bounded length.
 * A vtable's methods may point anywhere: a bad one only faults the
 * process, as in any service. */
static const char *iface_check(const struct cmrx_image *img, uint32_t i)
{
    uintptr_t lo = (uintptr_t)img + sizeof(*img), hi = (uintptr_t)img + img->size;
    const struct cmrx_vtable_desc *d = &img->vtables[i];
    uintptr_t v = (uintptr_t)d->vtable;
    if (v < lo || v > hi || d->methods > (hi - v) / sizeof(void *) ||
        !name_within(d->iface, lo, hi)) {
        return "an interface table of the image lies outside it";
    }
    return NULL;
}

/* Its interface tables: each inside it. */
static const char *ifaces_check(const struct cmrx_image *img)
{
    const char *why = NULL;
    for (uint32_t i = 0; why == NULL && i < iface_count(img); i++) {
        why = iface_check(img, i);
    }
    return why;
}

/* (One string: a refusal for it is CMRX_EBADIMAGE, not CMRX_EINTERFACE.) */
static const char calls_outside[] = "a table of the objects the image calls lies outside it";
/* Why an image's call is refused: a format of the interface's name, its
 * methods, the object's address and its process's name. */
#define CALL_NOT_OTHER                                                                             \
    "the image calls %s (%lu methods) at 0x%08lx, which is no other process's object"
#define CALL_NOT_SERVICE                                                                           \
    "the image calls %s (%lu methods) at 0x%08lx, not a CMRX_SERVICE object of %s"
#define CALL_NOT_SERVED "the image calls %s (%lu methods) at 0x%08lx, which %s does not serve there"
#define CALL_FEWER      "the image calls %s (%lu methods) at 0x%08lx, where %s serves fewer methods"

/* The refusal of a call, formatted: the console says it, and
 * cmrx_update_info() tells it until the next refusal (of any process). */
static char call_why[160];

/* Does q serve c's interface at c's object with at least c's methods, q
 * running image qi (NULL: q is not updatable, its process table tells)?
 * The object's vtable is the one its initial value names: the kernel
 * reads no process's RAM for this (at boot q may not have started), and
 * each call is checked again when it is made (rpc.c). NULL, or why not. */
static const char *call_served(const struct cmrx_call_desc *c, const struct cmrx_process *q,
                               const struct cmrx_image *qi)
{
    uintptr_t a = (uintptr_t)c->object;
    uintptr_t ds = (uintptr_t)(qi != NULL ? qi->data_start : q->data_start);
    uintptr_t de = (uintptr_t)(qi != NULL ? qi->data_end : q->data_end);
    const uint8_t *load = qi != NULL ? qi->data_load : q->data_load;
    if (qi != NULL && (a < (uintptr_t)qi->exports || a > (uintptr_t)qi->exports_end ||
                       (uintptr_t)qi->exports_end - a < sizeof(void *))) {
        return CALL_NOT_SERVICE; /* the only objects of q that keep their address */
    }
    if (a < ds || a > de || de - a < sizeof(void *)) {
        return CALL_NOT_SERVED; /* in its .bss: no vtable until q sets one */
    }
    const void *vt;
    memcpy(&vt, load + (a - ds), sizeof(vt));
    const struct cmrx_vtable_desc *d = vtable_find(
        qi != NULL ? qi->vtables : q->vtables, qi != NULL ? qi->vtables_end : q->vtables_end, vt);
    if (d == NULL || strncmp(d->iface, c->iface, CMRX_UPDATE_IFACE_NAME_MAX) != 0) {
        return CALL_NOT_SERVED;
    }
    return d->methods < c->methods ? CALL_FEWER : NULL;
}

/* Does the firmware serve call j of p's image img: an object of another
 * process that serves the interface it names with at least its methods?
 * An updatable process q is taken as the image it runs; at boot, before
 * q has started, as either image it may boot whose header and tables are
 * sound (its slot B boots only if it serves what slot A serves). NULL, or
 * why not. */
static const char *call_check(const struct cmrx_process *p, const struct cmrx_image *img,
                              uint32_t j)
{
    uintptr_t lo = (uintptr_t)img + sizeof(*img), hi = (uintptr_t)img + img->size;
    const struct cmrx_call_desc *c = &img->calls[j];
    if (!name_within(c->iface, lo, hi)) {
        return calls_outside;
    }
    const struct cmrx_process *q =
        ((uintptr_t)c->object & 3u) == 0 ? process_of(c->object, sizeof(void *), false) : NULL;
    const char *why = CALL_NOT_OTHER;
    if (q != NULL && q != p) {
        const struct cmrx_process_state *st = q->state;
        why = CALL_NOT_SERVED; /* (q is updatable, and neither image is sound) */
        if (q->update == NULL || st->image != NULL) {
            why = call_served(c, q, st->image);
        }
        for (unsigned n = 0;
             q->update != NULL && st->image == NULL && !st->dead && n < 2u && why != NULL; n++) {
            if (header_check(q, n) == NULL && ifaces_check(q->update->slot[n]) == NULL) {
                why = call_served(c, q, q->update->slot[n]);
            }
        }
    }
    if (why == NULL) {
        return NULL;
    }
    cmrx_format(call_why, sizeof(call_why), why, c->iface, (unsigned long)c->methods,
                (unsigned long)(uintptr_t)c->object, q != NULL ? q->name : "");
    return call_why;
}

/* All its tables (at boot, all at once). */
static const char *tables_check(const struct cmrx_process *p, unsigned n)
{
    const struct cmrx_image *img = p->update->slot[n];
    const char *why = autostart_check(img);
    why = why != NULL ? why : ifaces_check(img);
    for (uint32_t j = 0; why == NULL && j < call_count(img); j++) {
        why = call_check(p, img, j);
    }
    return why;
}

/* Is the image in slot n of p sound for p (at boot, all at once)? */
static const char *image_check(const struct cmrx_process *p, unsigned n)
{
    const char *why = header_check(p, n);
    if (why == NULL) {
        why = hash_check(p, n);
    }
    return why != NULL ? why : tables_check(p, n);
}

#define NO_LONGER_SERVED "the image no longer serves an interface its clients use"
#define FEWER_METHODS    "the image serves fewer methods of an interface than its clients use"

/* Does new serve old's interface i (by fingerprint: its name and at least
 * its methods)? Compared with new's interface k only; *found says whether
 * one of those compared so far matched. NULL, or why not. */
static const char *serves(const struct cmrx_image *old, const struct cmrx_image *new, uint32_t i,
                          uint32_t k, bool *found)
{
    const struct cmrx_vtable_desc *o = &old->vtables[i], *n = &new->vtables[k];
    if (!*found && strncmp(n->iface, o->iface, CMRX_UPDATE_IFACE_NAME_MAX) == 0) {
        *found = true;
        if (n->methods < o->methods) {
            return FEWER_METHODS;
        }
    }
    return NULL;
}

/* Does new serve what old served: the same service objects and every
 * interface with at least its methods? (At boot, all at once.) */
static const char *compatible(const struct cmrx_image *old, const struct cmrx_image *new)
{
    if (old->exports != new->exports || old->exports_end != new->exports_end) {
        return "the image moves or resizes the process's service objects";
    }
    for (uint32_t i = 0; i < iface_count(old); i++) {
        bool found = false;
        for (uint32_t k = 0; k < iface_count(new); k++) {
            const char *why = serves(old, new, i, k, &found);
            if (why != NULL) {
                return why;
            }
        }
        if (!found) {
            return NO_LONGER_SERVED;
        }
    }
    return NULL;
}

/* Why slot n of p may not boot, or NULL. Slot B (an update) boots only
 * over a sound slot A if it is newer and serves what A serves: after the
 * firmware is flashed again, slot A holds what it was built with, and an
 * older or incompatible image left in slot B must not replace it. */
static const char *boot_check(const struct cmrx_process *p, unsigned n)
{
    const char *why = image_check(p, n);
    if (why != NULL || n == 0u || image_check(p, 0) != NULL) {
        return why;
    }
    const struct cmrx_image *a = p->update->slot[0], *b = p->update->slot[1];
    if (b->version <= a->version) {
        return "the image is not newer than slot A's";
    }
    return compatible(a, b);
}

const struct cmrx_image *update_boot_image(const struct cmrx_process *p)
{
    unsigned n = commit_log_slot(p);
    const char *why = boot_check(p, n);
    if (why != NULL) {
        kprintf("process %s: slot %s: %s; trying slot %s\n", p->name, slot_name[n], why,
                slot_name[n ^ 1u]);
        n ^= 1u;
        if ((why = image_check(p, n)) != NULL) {
            kprintf("process %s: slot %s: %s; not started\n", p->name, slot_name[n], why);
            return NULL;
        }
        /* The log names the slot that runs from now on: the next boot
         * does not try the other again (e.g. an image a probe erased). */
        if (commit_log_append(p, n) != CMRX_OK) {
            kprintf("process %s: the commit log could not be written\n", p->name);
        }
    }
    return p->update->slot[n];
}

/* The one verification under way: a commit's image is hashed a slice at
 * a time (up to CMRX_VERIFY_SLICES at each tick, and for the idle thread)
 * while its caller waits, then checked, committed and switched to (or
 * refused) in a step each.
 * One at a time: its state is kernel RAM. */
static struct {
    const struct cmrx_process *p;  /* NULL: none */
    const struct cmrx_process *by; /* the updater (for messages) */
    struct cmrx_thread *caller;    /* waiting on &verify */
    const struct cmrx_image *old;  /* p's version when the commit came */
    uint32_t block, blocks;        /* next block of the padded message, their count */
    uint32_t check;                /* the next check step once hashed (verify_check) */
    bool found;                    /* the old interface under check is served */
    uint32_t h[8];                 /* the hash's chaining state */
    struct cmrx_sha256_block c;    /* the block in progress (round 64: none) */
} verify;

/* The last refusal of a commit, for cmrx_update_info(): one is enough, an
 * updater asks about the commit it just made. The texts are constants. */
static struct {
    const struct cmrx_process *p; /* NULL: none (since boot, or p's accepted commit) */
    const char *why;
} refusal;

static void note_refusal(const struct cmrx_process *p, const char *why)
{
    refusal.p = p;
    refusal.why = why;
}

/* A commit of p by `by` refused: the console and cmrx_update_info() say why. */
static void refuse(const struct cmrx_process *p, const struct cmrx_process *by, const char *why)
{
    kprintf("update of %s by %s refused: %s\n", p->name, by->name, why);
    note_refusal(p, why);
}

/* Is a verification under way? One whose caller no longer waits (killed,
 * or signalled: its call returned) is abandoned first: nothing switches. */
static bool verify_busy(void)
{
    if (verify.p == NULL) {
        return false;
    }
    if ((verify.caller->state == CMRX_T_WAITING && verify.caller->wait_obj == &verify) ||
        verify.block > verify.blocks + 1u) {
        return true; /* (or committed: the switch follows whatever the caller does) */
    }
    kprintf("update of %s by %s abandoned: the caller stopped waiting\n", verify.p->name,
            verify.by->name);
    note_refusal(verify.p, "the caller stopped waiting");
    verify.p = NULL;
    return false;
}

/* Is p on its way to another image (being verified, switched to, or
 * restarting)? Its slots are not written meanwhile. */
static bool switching(const struct cmrx_process *p)
{
    const struct cmrx_process_state *st = p->state;
    return st->updating || st->initializing || st->restart_queued ||
           (verify_busy() && verify.p == p);
}

/* The updatable process pid for an updater, or NULL with the error in *rc. */
static const struct cmrx_process *update_target(const struct cmrx_process *self, uint32_t pid,
                                                int32_t *rc)
{
    if ((self->flags & CMRX_PROC_UPDATER) == 0) {
        *rc = CMRX_EPERM;
        return NULL;
    }
    if (pid >= cmrx_process_count || cmrx_processes[pid].update == NULL) {
        *rc = CMRX_EINVAL;
        return NULL;
    }
    const struct cmrx_process *p = &cmrx_processes[pid];
    if (p->state->image == NULL || switching(p)) {
        *rc = CMRX_EBUSY; /* mid-switch, being verified (or never started) */
        return NULL;
    }
    return p;
}

/* A chunk being staged, padded with 0xFF (which programming leaves as it is). */
static uint8_t stage[CMRX_UPDATE_CHUNK] __attribute__((aligned(8)));

static int32_t update_write(uint32_t pid, uint32_t offset, const void *buf, uint32_t len)
{
    struct cmrx_thread *t = cmrx_sched.current;
    int32_t rc = CMRX_OK;
    const struct cmrx_process *p = update_target(thread_active(t), pid, &rc);
    if (p == NULL) {
        return rc;
    }
    /* The offset names a byte of the slot even when len is 0: a write
     * erases the unit at its offset, and the unit past the slot's end is
     * another slot (one a process may run from) or the commit log. */
    if (offset >= p->update->slot_size || len > p->update->slot_size - offset) {
        return CMRX_EINVAL;
    }
    if (!access_ok(t, buf, len, false)) {
        return CMRX_EFAULT;
    }
    if (offset % 8u != 0u) {
        return CMRX_EINVAL; /* flash is programmed in aligned double words */
    }
    /* Only the slot it does not run from, a chunk per call that does not
     * cross a 256-byte boundary (a page of the RP2040's flash), so that it
     * lies in one erase unit. It is copied to kernel RAM first: the source
     * may be flash that cannot be read while flash is programmed. A chunk
     * that starts an erase unit erases it: an image is written from its
     * start, in order. */
    unsigned n = slot_index(p, p->state->image) ^ 1u;
    uint32_t room = CMRX_UPDATE_CHUNK - offset % CMRX_UPDATE_CHUNK;
    uint32_t chunk = len < room ? len : room;
    uintptr_t at = (uintptr_t)p->update->slot[n] + offset;
    memcpy(stage, buf, chunk);
    memset(stage + chunk, 0xFF, sizeof(stage) - chunk);
    if (offset % cmrx_commit_log.unit == 0u) {
        rc = bsp_flash_erase(at);
    }
    if (rc == CMRX_OK) {
        rc = bsp_flash_program(at, stage, (chunk + 7u) & ~7u);
    }
    return rc == CMRX_OK ? (int32_t)chunk : rc;
}

/* Block i of the message the seal hashed: the image with its sha256
 * field as zeros, padded as FIPS 180-4 5.1.1 says. */
static void message_block(uint8_t out[64], const struct cmrx_image *img, uint32_t i)
{
    const uint32_t at = offsetof(struct cmrx_image, sha256), size = img->size, off = i * 64u;
    uint32_t n = off >= size ? 0u : size - off < 64u ? size - off : 64u;
    memcpy(out, (const uint8_t *)img + off, n);
    memset(out + n, 0, 64u - n);
    if (off < at + 32u) { /* the header is in the image: n covers it */
        uint32_t from = at > off ? at - off : 0u, to = at + 32u - off < 64u ? at + 32u - off : 64u;
        memset(out + from, 0, to - from);
    }
    if (off <= size && size - off < 64u) {
        out[size - off] = 0x80u;
    }
    if (i + 1u == verify.blocks) {
        uint32_t bits_hi = size >> 29, bits_lo = size << 3;
        for (unsigned k = 0; k < 4; k++) {
            out[56 + k] = (uint8_t)(bits_hi >> (24 - 8 * k));
            out[60 + k] = (uint8_t)(bits_lo >> (24 - 8 * k));
        }
    }
}

/* The refusal or the result of a commit: its caller's call returns rc. */
static void verify_end(int32_t rc)
{
    thread_wake(verify.caller, rc);
    verify.p = NULL;
    sched_reschedule();
}

/* Hashed: one check per step, each bounded by a constant: the digest
 * and the autostart table (step 0), new's interface i (steps 1..m), its
 * call j against the firmware (steps m+1..m+c: a bisection of the
 * processes and a search of one's vtables), then old's interface i
 * against new's interface k (one pair a step: at most
 * CMRX_UPDATE_MAX_INTERFACES squared names of CMRX_UPDATE_IFACE_NAME_MAX
 * bytes). A refusal ends the verification; after the last, the commit. */
static void verify_check(void)
{
    const struct cmrx_process *p = verify.p;
    const struct cmrx_image *img = p->update->slot[slot_index(p, verify.old) ^ 1u];
    const struct cmrx_image *old = verify.old;
    uint32_t m = iface_count(img), c = call_count(img), step = verify.check++;
    const char *why = NULL;
    int32_t rc = CMRX_EBADIMAGE;
    if (step == 0u) {
        for (unsigned i = 0; i < 8u && why == NULL; i++) {
            const uint8_t *d = img->sha256 + 4u * i;
            uint32_t w = (uint32_t)d[0] << 24 | (uint32_t)d[1] << 16 | (uint32_t)d[2] << 8 | d[3];
            why = w == verify.h[i] ? NULL : BAD_HASH;
        }
        why = why != NULL ? why : autostart_check(img);
        if (why == NULL && (old->exports != img->exports || old->exports_end != img->exports_end)) {
            why = "the image moves or resizes the process's service objects";
            rc = CMRX_EINTERFACE;
        }
    } else if (step <= m) {
        why = iface_check(img, step - 1u);
    } else if (step <= m + c) {
        why = call_check(p, img, step - 1u - m);
        rc = why == calls_outside ? CMRX_EBADIMAGE : CMRX_EINTERFACE;
    } else if (step - 1u - m - c < iface_count(old) * (m > 0u ? m : 1u)) {
        uint32_t pair = step - 1u - m - c, i = m > 0u ? pair / m : pair;
        uint32_t k = m > 0u ? pair % m : 0u;
        if (k == 0u) {
            verify.found = false;
        }
        why = m > 0u ? serves(old, img, i, k, &verify.found) : NULL;
        if (why == NULL && k + 1u >= m && !verify.found) {
            why = NO_LONGER_SERVED;
        }
        rc = CMRX_EINTERFACE;
    } else {
        verify.block++; /* blocks + 1: checked */
        return;
    }
    if (why != NULL) {
        refuse(p, verify.by, why);
        verify_end(rc);
    }
}

/* Verified: the commit record names the new slot (a reset from here on
 * boots it); the next step restarts p from it. */
static void verify_commit(void)
{
    const struct cmrx_process *p = verify.p;
    struct cmrx_process_state *st = p->state;
    unsigned n = slot_index(p, verify.old) ^ 1u;
    const struct cmrx_image *img = p->update->slot[n];
    if (st->image != verify.old || st->updating || st->initializing || st->restart_queued) {
        refuse(p, verify.by, "the process restarted while its image was checked");
        verify_end(CMRX_EBUSY);
        return;
    }
    int32_t rc = commit_log_append(p, n);
    if (rc != CMRX_OK) {
        refuse(p, verify.by, "the commit log could not be written (flash error)");
        verify_end(rc);
        return;
    }
    if (refusal.p == p) {
        refusal.p = NULL; /* accepted: no refusal to tell any more */
    }
    kprintf("process %s: version %lu -> %lu (slot %s), by %s\n", p->name,
            (unsigned long)verify.old->version, (unsigned long)img->version, slot_name[n],
            verify.by->name);
    verify.block++; /* blocks + 2: committed */
    /* The switch follows whatever the caller does now: its call returns
     * CMRX_OK at once, so that no signal between here and the switch can
     * make it say CMRX_EINTR about an update that happens. */
    if (verify.caller->state == CMRX_T_WAITING && verify.caller->wait_obj == &verify) {
        thread_wake(verify.caller, CMRX_OK);
        sched_reschedule();
    }
}

/* Committed: p restarts from the new slot. */
static void verify_switch(void)
{
    const struct cmrx_process *p = verify.p;
    struct cmrx_process_state *st = p->state;
    const struct cmrx_image *img = p->update->slot[slot_index(p, verify.old) ^ 1u];
    /* As a restart: the threads of the old version end (calls into it
     * return CMRX_ERPC_DEAD), its memory is initialised from the new image
     * a chunk per tick, then the new autostart threads start. (The
     * caller's call returned CMRX_OK with the commit record.) */
    verify.p = NULL;
    process_set_image(p, img);
    st->updating = 1;
    process_kill(p, true, CMRX_CAUSE_UPDATE);
}

/* One slice of the verification under way: a block's start, or
 * CMRX_VERIFY_ROUNDS rounds of it, or the checks, or the commit record,
 * or the switch. At each tick, and from the idle thread while nothing
 * else runs. True while there is more to do.
 * The switch unwinds every thread inside the process, and the running
 * one may be inside it: only with @p ctx_saved (the running thread's
 * registers in its context: the idle thread, which is never inside
 * another process, or PendSV's deferred work) may it run. A tick, which
 * interrupted the running thread with its registers live, defers it to
 * PendSV, which follows the tick at once. */
static bool update_step(bool ctx_saved)
{
    if (!verify_busy()) {
        return false;
    }
    if (verify.block == verify.blocks) {
        verify_check();
    } else if (verify.block == verify.blocks + 1u) {
        verify_commit();
    } else if (verify.block > verify.blocks) {
        if (ctx_saved) {
            verify_switch();
        } else {
            kernel_defer(CMRX_DEFERRED_UPDATE);
        }
    } else if (verify.c.round == 64u) {
        uint8_t buf[64];
        unsigned n = slot_index(verify.p, verify.old) ^ 1u;
        message_block(buf, verify.p->update->slot[n], verify.block);
        cmrx_sha256_block_begin(&verify.c, verify.h, buf);
    } else if (cmrx_sha256_block_rounds(&verify.c, verify.h, CMRX_VERIFY_ROUNDS)) {
        verify.block++; /* (round 64: the next block's start is due) */
    }
    return verify.p != NULL;
}

/* A commit checks what costs little (the header, the version) in the call
 * and starts the hash, which the kernel does a slice at a time while the
 * caller waits (update_step); the caller's call returns the result. */
static void update_commit(struct cmrx_thread *t)
{
    uint32_t pid = (uint32_t)port_syscall_arg(t, 0);
    uint32_t flags = (uint32_t)port_syscall_arg(t, 1);
    const struct cmrx_process *self = thread_active(t);
    int32_t rc = CMRX_OK;
    const struct cmrx_process *p = update_target(self, pid, &rc);
    if (p == NULL || (flags & ~CMRX_UPDATE_FORCE) != 0) {
        port_set_return(t, p == NULL ? rc : CMRX_EINVAL);
        return;
    }
    if (verify_busy()) {
        port_set_return(t, CMRX_EBUSY); /* another process's image is being checked */
        return;
    }
    const struct cmrx_image *old = p->state->image;
    unsigned n = slot_index(p, old) ^ 1u;
    const struct cmrx_image *img = p->update->slot[n];
    const char *why = header_check(p, n);
    if (why != NULL) {
        refuse(p, self, why);
        port_set_return(t, CMRX_EBADIMAGE);
        return;
    }
    if (img->version <= old->version && (flags & CMRX_UPDATE_FORCE) == 0) {
        kprintf("update of %s by %s refused: version %lu is not newer than %lu\n", p->name,
                self->name, (unsigned long)img->version, (unsigned long)old->version);
        note_refusal(p, "the version is not newer than the running one");
        port_set_return(t, CMRX_EVERSION);
        return;
    }
    rc = thread_wait(t, CMRX_T_WAITING, &verify, CMRX_FOREVER);
    if (rc != CMRX_OK) {
        port_set_return(t, rc); /* its thread is being killed */
        return;
    }
    port_set_return(t, CMRX_EINTR); /* until the verification says otherwise */
    verify.p = p;
    verify.by = self;
    verify.caller = t;
    verify.old = old;
    verify.block = 0;
    verify.check = 0;
    verify.blocks = (img->size + 8u) / 64u + 1u;
    verify.c.round = 64u;
    memcpy(verify.h, cmrx_sha256_iv, sizeof(verify.h));
}

static const char *update_info(const struct cmrx_process *p, struct cmrx_update_info *out)
{
    const struct cmrx_image *img = p->state->image;
    out->slot_size = p->update->slot_size;
    if (img != NULL) { /* (none: neither slot was sound at boot) */
        out->version = img->version;
        out->slot = (uint8_t)slot_index(p, img);
    }
    out->busy = switching(p) ? 1u : 0u;
    return refusal.p == p ? refusal.why : "";
}

const struct cmrx_updater cmrx_update_impl = {update_boot_image, update_write, update_commit,
                                              update_step, update_info};
