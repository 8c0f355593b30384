/* Updating one process while the others run (docs/updating.md).
 *
 * An updatable process has two flash slots; the commit record names the
 * one it runs from. An updater stages a new image in the other slot and
 * commits it: the kernel checks everything the image claims against the
 * process's declaration and the running version (nothing in a staged image
 * is trusted: an updater may be hostile, a transfer may be cut), then kills
 * the old version, writes the commit record and restarts the process from
 * the new image. A reset before the record is written boots the old slot,
 * which nobody wrote; after it, the new one, which was verified complete.
 */
#include "kernel.h"

#include <string.h>

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

/* A string that ends within [lo, hi). */
static bool str_within(const char *s, uintptr_t lo, uintptr_t hi)
{
    uintptr_t a = (uintptr_t)s;
    return a >= lo && a < hi && memchr(s, 0, hi - a) != NULL;
}

static bool field_is(const char *field, size_t size, const char *want)
{
    size_t n = strlen(want);
    return n < size && memcmp(field, want, n + 1u) == 0;
}

/* Is the image in slot n of p sound for p: its own header, this board,
 * the slot and the reservation, every table inside the image, its hash?
 * NULL, or why not. */
static const char *image_check(const struct cmrx_process *p, unsigned n)
{
    const struct cmrx_image *img = p->update->slot[n];
    uintptr_t base = (uintptr_t)img;
    if (img->magic != CMRX_IMAGE_MAGIC || img->format != CMRX_IMAGE_FORMAT ||
        img->header_size != sizeof(*img)) {
        return "no image header of format 1";
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
    if (!in_range(as, ae, lo, hi) || (ae - as) % sizeof(struct cmrx_autostart) != 0 ||
        (as & 3u) != 0 || !in_range(vs, ve, lo, hi) ||
        (ve - vs) % sizeof(struct cmrx_vtable_desc) != 0 || (vs & 3u) != 0) {
        return "the image's tables lie outside it";
    }
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
        return "the image's SHA-256 does not match (corrupt or incomplete)";
    }
    /* Whole, as it was sealed (the hash proves no origin: an updater may
     * seal what it likes). Its threads start in its own code; its
     * interfaces are described by names it holds. A vtable's methods may
     * point anywhere: a bad one only faults the process, as in any service. */
    for (const struct cmrx_autostart *a = img->autostart; a < img->autostart_end; a++) {
        uintptr_t e = (uintptr_t)a->entry & ~(uintptr_t)1u;
        if (e < lo || e >= hi || !access_code_ok((const void *)(uintptr_t)a->entry)) {
            return "an autostart thread of the image starts outside it";
        }
    }
    for (const struct cmrx_vtable_desc *d = img->vtables; d < img->vtables_end; d++) {
        uintptr_t v = (uintptr_t)d->vtable;
        if (v < lo || v > hi || d->methods > (hi - v) / sizeof(void *) ||
            !str_within(d->iface, lo, hi)) {
            return "an interface table of the image lies outside it";
        }
    }
    return NULL;
}

/* Does new serve what old served: the same service objects and every
 * interface (by fingerprint) with at least its methods? */
static const char *compatible(const struct cmrx_image *old, const struct cmrx_image *new)
{
    if (old->exports != new->exports || old->exports_end != new->exports_end) {
        return "the image moves or resizes the process's service objects";
    }
    for (const struct cmrx_vtable_desc *o = old->vtables; o < old->vtables_end; o++) {
        const struct cmrx_vtable_desc *n = new->vtables;
        while (n < new->vtables_end && strcmp(n->iface, o->iface) != 0) {
            n++;
        }
        if (n == new->vtables_end) {
            return "the image no longer serves an interface its clients use";
        }
        if (n->methods < o->methods) {
            return "the image serves fewer methods of an interface than its clients use";
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
    unsigned n = *p->update->record == CMRX_RECORD_SLOT(1) ? 1u : 0u;
    const char *why = boot_check(p, n);
    if (why != NULL) {
        kprintf("process %s: slot %s: %s; trying slot %s\n", p->name, slot_name[n], why,
                slot_name[n ^ 1u]);
        n ^= 1u;
        if ((why = image_check(p, n)) != NULL) {
            kprintf("process %s: slot %s: %s; not started\n", p->name, slot_name[n], why);
            return NULL;
        }
    }
    return p->update->slot[n];
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
    const struct cmrx_process_state *st = p->state;
    if (st->updating || st->initializing || st->restart_queued || st->image == NULL) {
        *rc = CMRX_EBUSY; /* mid-switch (or never started): its slots are in use */
        return NULL;
    }
    return p;
}

static int32_t update_write(uint32_t pid, uint32_t offset, const void *buf, uint32_t len)
{
    struct cmrx_thread *t = cmrx_sched.current;
    int32_t rc = CMRX_OK;
    const struct cmrx_process *p = update_target(thread_active(t), pid, &rc);
    if (p == NULL) {
        return rc;
    }
    if (offset > p->update->slot_size || len > p->update->slot_size - offset) {
        return CMRX_EINVAL;
    }
    if (!access_ok(t, buf, len, false)) {
        return CMRX_EFAULT;
    }
    /* Only the slot it does not run from, a chunk per call. */
    unsigned n = slot_index(p, p->state->image) ^ 1u;
    uint32_t chunk = len < CMRX_UPDATE_CHUNK ? len : CMRX_UPDATE_CHUNK;
    rc = bsp_flash_write((uintptr_t)p->update->slot[n] + offset, buf, chunk);
    return rc == CMRX_OK ? (int32_t)chunk : rc;
}

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
    struct cmrx_process_state *st = p->state;
    const struct cmrx_image *old = st->image;
    unsigned n = slot_index(p, old) ^ 1u;
    const struct cmrx_image *img = p->update->slot[n];
    const char *why = image_check(p, n);
    rc = CMRX_EBADIMAGE;
    if (why == NULL && (why = compatible(old, img)) != NULL) {
        rc = CMRX_EINTERFACE;
    }
    if (why == NULL && img->version <= old->version && (flags & CMRX_UPDATE_FORCE) == 0) {
        kprintf("update of %s by %s refused: version %lu is not newer than %lu\n", p->name,
                self->name, (unsigned long)img->version, (unsigned long)old->version);
        port_set_return(t, CMRX_EVERSION);
        return;
    }
    if (why != NULL) {
        kprintf("update of %s by %s refused: %s\n", p->name, self->name, why);
        port_set_return(t, rc);
        return;
    }
    uint32_t record = CMRX_RECORD_SLOT(n);
    rc = bsp_flash_write((uintptr_t)p->update->record, &record, sizeof(record));
    if (rc != CMRX_OK) {
        port_set_return(t, rc);
        return;
    }
    kprintf("process %s: version %lu -> %lu (slot %s), by %s\n", p->name,
            (unsigned long)old->version, (unsigned long)img->version, slot_name[n], self->name);
    /* As a restart: the threads of the old version end (calls into it
     * return CMRX_ERPC_DEAD), its memory is initialised from the new image
     * a chunk per tick, then the new autostart threads start. First the
     * result: if the caller itself is unwound out of p, its call's wins. */
    port_set_return(t, CMRX_OK);
    process_set_image(p, img);
    st->updating = 1;
    process_kill(p, true, false);
    sched_reschedule();
}

const struct cmrx_updater cmrx_update_impl = {update_boot_image, update_write, update_commit};
