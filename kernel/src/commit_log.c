/* The commit log: which slot each updatable process runs from
 * (docs/updating.md, "Power cut or reset").
 *
 * Flash cannot be rewritten in place, and erasing is not atomic with the
 * programming that follows it, so the log is never rewritten: an entry
 * (sequence number, then a tag naming a process and a slot) is programmed
 * once into erased flash, and the valid entry with the highest sequence
 * number for a process wins. The log has two erase units. When the one in
 * use is full, the other (every entry in it older than the full one's) is
 * erased and the current slot of every updatable process copied into it,
 * each as a new entry, before the new entry goes after them. A reset at
 * any point leaves each process's latest entry in flash: in the full unit
 * until its copy is written, in both after.
 *
 * A tag carries its value and the value's complement: an entry cut short
 * while it was programmed (bits still 1 that should be 0), erased flash
 * and zeros never read as valid. Whatever the log names, a slot boots only
 * if its image verifies (update.c): the log chooses between sound images,
 * it never makes a mix run. */
#include "kernel.h"

#define ENTRIES (cmrx_commit_log.unit / (uint32_t)sizeof(struct cmrx_log_entry))

static struct {
    bool read;      /* the log was read (at boot, the first call) */
    uint8_t unit;   /* the unit in use: the one with the latest entry */
    uint32_t count; /* entries used in it (ENTRIES: full) */
    uint32_t seq;   /* the next entry's sequence number */
} journal;

static const struct cmrx_log_entry *unit_entries(unsigned u)
{
    return (const struct cmrx_log_entry *)(cmrx_commit_log.base + u * cmrx_commit_log.unit);
}

/* Is e a valid entry? Its process index and slot into *pid, *slot. */
static bool entry_valid(const struct cmrx_log_entry *e, uint32_t *pid, unsigned *slot)
{
    uint32_t v = e->tag >> 16;
    if ((e->tag & 0xFFFFu) != (~v & 0xFFFFu)) {
        return false;
    }
    *pid = v >> 8;
    *slot = v & 0xFFu;
    return *pid < cmrx_process_count && cmrx_processes[*pid].update != NULL && *slot <= 1u;
}

static bool entry_erased(const struct cmrx_log_entry *e)
{
    return e->seq == 0xFFFFFFFFu && e->tag == 0xFFFFFFFFu;
}

/* The highest sequence number of a valid entry in unit u (0: none), and
 * the entries used (up to the last that is not erased: one cut short or
 * damaged is skipped, not written over). */
static uint32_t unit_scan(unsigned u, uint32_t *used)
{
    const struct cmrx_log_entry *e = unit_entries(u);
    uint32_t top = 0, pid;
    unsigned slot;
    *used = 0;
    for (uint32_t i = 0; i < ENTRIES; i++) {
        if (!entry_erased(&e[i])) {
            *used = i + 1u;
        }
        if (entry_valid(&e[i], &pid, &slot) && e[i].seq > top) {
            top = e[i].seq;
        }
    }
    return top;
}

/* At boot: every updatable process's slot, from the older unit's entries
 * and then the newer one's (entries follow their sequence in a unit), and
 * where the next entry goes. Bounded by the log's size, once. */
static void log_read(void)
{
    uint32_t used[2];
    uint32_t top0 = unit_scan(0, &used[0]), top1 = unit_scan(1, &used[1]);
    journal.unit = top1 > top0 ? 1u : 0u;
    journal.count = used[journal.unit];
    journal.seq = (top1 > top0 ? top1 : top0) + 1u;
    for (unsigned k = 0; k < 2u; k++) {
        const struct cmrx_log_entry *e = unit_entries(journal.unit ^ 1u ^ k);
        uint32_t pid;
        unsigned slot;
        for (uint32_t i = 0; i < ENTRIES; i++) {
            if (entry_valid(&e[i], &pid, &slot)) {
                cmrx_processes[pid].state->log_slot = slot & 1u;
            }
        }
    }
    journal.read = true;
}

unsigned commit_log_slot(const struct cmrx_process *p)
{
    if (!journal.read) {
        log_read();
    }
    return p->state->log_slot;
}

/* Program the next entry of unit u, at index i, naming pid's slot. */
static int32_t entry_put(unsigned u, uint32_t i, uint32_t pid, unsigned slot)
{
    struct cmrx_log_entry e = {journal.seq++, CMRX_LOG_TAG(pid, slot)}; /* kernel RAM */
    return bsp_flash_program((uintptr_t)&unit_entries(u)[i], &e, sizeof(e));
}

/* The unit in use is full: erase the other and copy every updatable
 * process's current entry into it, except `skip`'s (its new one follows). */
static int32_t log_compact(const struct cmrx_process *skip)
{
    unsigned other = journal.unit ^ 1u;
    int32_t rc = bsp_flash_erase((uintptr_t)unit_entries(other));
    uint32_t n = 0;
    for (uint32_t pid = 0; rc == CMRX_OK && pid < cmrx_process_count; pid++) {
        const struct cmrx_process *q = &cmrx_processes[pid];
        if (q->update != NULL && q != skip) {
            rc = entry_put(other, n++, pid, q->state->log_slot);
        }
    }
    if (rc == CMRX_OK) {
        journal.unit = (uint8_t)other;
        journal.count = n;
    }
    return rc; /* (failed: the full unit stays in use, the next append tries again) */
}

int32_t commit_log_append(const struct cmrx_process *p, unsigned slot)
{
    if (p < cmrx_processes || p >= cmrx_processes + cmrx_process_count || p->update == NULL) {
        return CMRX_EINVAL; /* not a process of the table: no entry could name it */
    }
    (void)commit_log_slot(p);
    int32_t rc = journal.count >= ENTRIES ? log_compact(p) : CMRX_OK;
    if (rc == CMRX_OK) {
        /* Used even if programming failed: that place is not erased now. */
        rc = entry_put(journal.unit, journal.count++, (uint32_t)(p - cmrx_processes), slot);
    }
    if (rc == CMRX_OK) {
        p->state->log_slot = slot & 1u;
    }
    return rc;
}
