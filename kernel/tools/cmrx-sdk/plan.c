#include "plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../arch/common/mpu_encode.h"

/* Region numbers: PMSAv7's; the ARMv8-M MPU takes its numbers from where
 * the port writes each image. */
#define REG_FLASH  PMSAV7_REGION_FLASH
#define REG_GUARD  PMSAV7_REGION_GUARD
#define REG_DATA   PMSAV7_REGION_IMAGE
#define REG_SHARED (PMSAV7_REGION_IMAGE + 1u)
#define REG_MMIO0  (PMSAV7_REGION_IMAGE + 2u)
#define REG_STACK  PMSAV7_REGION_STACK

static uint32_t sec_size(const struct elf_file *elf, const char *proc, const char *what,
                         uint32_t *align)
{
    char name[160];
    snprintf(name, sizeof(name), ".cmrx.p.%s.%s", proc, what);
    const struct elf_section *s = elf_find(elf, name);
    if (align) {
        *align = s && s->align > 4 ? s->align : 4;
    }
    return s ? s->size : 0;
}

static uint32_t kernel_sec(const struct elf_file *elf, const char *name)
{
    const struct elf_section *s = elf_find(elf, name);
    return s ? (s->size + 7u) & ~7u : 0;
}

int plan_build(const struct firmware *fw, const struct elf_file *elf, struct plan *out,
               struct err *e)
{
    memset(out, 0, sizeof(*out));
    out->items = calloc(fw->n_procs * 3 + 1, sizeof(*out->items));
    out->procs = calloc(fw->n_procs + 1, sizeof(*out->procs));
    if (out->items == NULL || out->procs == NULL) {
        err_set(e, "out of memory");
        plan_free(out);
        return -1;
    }
    for (size_t i = 0; i < fw->n_procs; i++) {
        const struct process_decl *p = &fw->procs[i];
        struct plan_proc *pp = &out->procs[i];
        uint32_t bss_align;
        uint32_t data = sec_size(elf, p->name, "data", NULL);
        uint32_t bss = sec_size(elf, p->name, "bss", &bss_align);
        pp->bss_offset = (data + bss_align - 1u) & ~(bss_align - 1u);
        pp->data_size = bss ? pp->bss_offset + bss : data;
        pp->data_used = pp->data_size;
        pp->shared_size = sec_size(elf, p->name, "shared", NULL);
        pp->stack_slot = fw_stack_slot(fw, p);

        if (p->flash_reserve != 0) {
            /* Every version gets the same region: the reserve. */
            if (pp->shared_size != 0) {
                err_set(e,
                        "updatable process %s has .shared memory (%u bytes); an updatable "
                        "process cannot have any: its initial value would lie in the "
                        "firmware, outside the slot, and its size would fix an MPU region "
                        "for every version (docs/updating.md)",
                        p->name, pp->shared_size);
                plan_free(out);
                return -1;
            }
            if (pp->data_size > p->ram_reserve) {
                err_set(e,
                        "process %s: .data and .bss take %u bytes, more than its ram_reserve "
                        "of %u",
                        p->name, pp->data_size, p->ram_reserve);
                plan_free(out);
                return -1;
            }
            pp->data_size = p->ram_reserve;
        }
        struct layout_item *it = &out->items[out->n_items++];
        it->owner = p->name;
        it->what = "data";
        it->size = pp->data_size;
        pp->data = it;
        it = &out->items[out->n_items++];
        it->owner = p->name;
        it->what = "shared";
        it->size = pp->shared_size;
        pp->shared = it;
        if (p->threads > 0) {
            it = &out->items[out->n_items++];
            it->owner = p->name;
            it->what = "stacks";
            it->slot = pp->stack_slot;
            it->count = p->threads;
            pp->stacks = it;
        }
    }
    out->kernel_ram =
        kernel_sec(elf, ".data") + kernel_sec(elf, ".bss") + kernel_sec(elf, ".cmrx.msp");
    if (layout_pack(fw->arch, fw->ram_base, fw->ram_size, out->kernel_ram, out->items, out->n_items,
                    &out->end, e) != 0) {
        plan_free(out);
        return -1;
    }
    for (size_t i = 0; i < fw->n_procs; i++) {
        struct plan_proc *pp = &out->procs[i];
        mpu_encode(fw->arch, REG_DATA, pp->data->base, &pp->data->shape, MEM_RAM, pp->mpu_ram);
        mpu_encode(fw->arch, REG_SHARED, pp->shared->base, &pp->shared->shape, MEM_RAM,
                   pp->mpu_ram + 2);
    }
    return 0;
}

void plan_free(struct plan *p)
{
    free(p->items);
    free(p->procs);
    memset(p, 0, sizeof(*p));
}

void plan_static_mpu(const struct firmware *fw, uint32_t out[4])
{
    struct region_shape s;
    uint32_t guard = fw_guard_size(fw);
    /* Flash: the smallest aligned power of two covering it (v6/v7), or
     * the flash itself past the guard (v8, where regions may not overlap). */
    if (fw->arch == MPU_ARMV8M) {
        layout_shape(fw->arch, fw->flash_size - guard, &s);
        mpu_encode(fw->arch, REG_FLASH, fw->flash_base + guard, &s, MEM_FLASH, out);
        mpu_encode_disabled(fw->arch, REG_GUARD, out + 2);
        return;
    }
    /* The smallest power of two, aligned to itself, whose region holds all
     * of flash. (Requiring the flash base itself to be aligned would, for
     * flash after a boot loader, end in a region of 2 GiB at address 0:
     * kernel RAM readable by every process.) */
    uint64_t end = (uint64_t)fw->flash_base + fw->flash_size;
    uint32_t r = 32;
    while ((fw->flash_base & ~(r - 1u)) + (uint64_t)r < end) {
        r <<= 1;
        if (r == 0) {
            break;
        }
    }
    memset(&s, 0, sizeof(s));
    s.region_size = r ? r : 0x80000000u;
    s.footprint = s.region_size;
    s.align = s.region_size;
    mpu_encode(fw->arch, REG_FLASH, fw->flash_base & ~(s.region_size - 1u), &s, MEM_FLASH, out);
    if (guard) {
        layout_shape(fw->arch, guard, &s);
        s.srd = 0;
        s.footprint = s.region_size;
        mpu_encode(fw->arch, REG_GUARD, fw->flash_base, &s, MEM_GUARD, out + 2);
    } else {
        mpu_encode_disabled(fw->arch, REG_GUARD, out + 2);
    }
}

static bool overlaps(uint32_t a, uint32_t alen, uint32_t b, uint32_t blen)
{
    return (uint64_t)a < (uint64_t)b + blen && (uint64_t)b < (uint64_t)a + alen;
}

/* @return "flash" or "RAM" if [base, base + size) overlaps it, else NULL. */
static const char *overlapped_memory(const struct firmware *fw, uint32_t base, uint32_t size)
{
    if (overlaps(base, size, fw->flash_base, fw->flash_size)) {
        return "flash";
    }
    if (overlaps(base, size, fw->ram_base, fw->ram_size)) {
        return "RAM";
    }
    return NULL;
}

int plan_mmio_mpu(const struct firmware *fw, const struct process_decl *p, uint32_t out[4],
                  struct err *e)
{
    for (unsigned i = 0; i < LIMIT_MMIO; i++) {
        if (i >= p->n_mmio) {
            mpu_encode_disabled(fw->arch, REG_MMIO0 + i, out + 2 * i);
            continue;
        }
        struct region_shape s;

        const char *mem = overlapped_memory(fw, p->mmio[i].base, p->mmio[i].size);
        if (mem != NULL) {
            /* The region would hand the process kernel or other processes'
             * memory, with device attributes on top. */
            err_set(e,
                    "process %s: MMIO range 0x%08x+0x%x overlaps the board's %s; MMIO is for "
                    "device registers only",
                    p->name, p->mmio[i].base, p->mmio[i].size, mem);
            return -1;
        }
        if (layout_fixed_region(fw->arch, p->mmio[i].base, p->mmio[i].size, &s, e) != 0) {
            return err_prefix(e, "process %s: MMIO ", p->name);
        }
        mpu_encode(fw->arch, REG_MMIO0 + i, p->mmio[i].base, &s, MEM_DEVICE, out + 2 * i);
    }
    if (p->n_mmio == 2 &&
        overlaps(p->mmio[0].base, p->mmio[0].size, p->mmio[1].base, p->mmio[1].size)) {
        err_set(e, "process %s: MMIO ranges overlap; declare their union once", p->name);
        return -1;
    }
    return 0;
}

uint32_t plan_stack_attr(const struct firmware *fw, uint32_t slot)
{
    struct region_shape s;
    uint32_t img[2];
    layout_shape(fw->arch, slot, &s);
    s.srd = 0;
    s.footprint = s.region_size;
    /* The base is per thread and filled in by the kernel; only the
     * attribute word is shared by all slots. On ARMv8-M the limit is per
     * slot too, so the kernel gets the slot size and adds it. */
    mpu_encode(fw->arch, REG_STACK, 0, &s, MEM_RAM, img);
    return fw->arch == MPU_ARMV8M ? img[0] : img[1];
}
