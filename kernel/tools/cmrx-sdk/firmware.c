#include "firmware.h"

#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "yamldoc.h"

YDOC_STR_FIELD(f_name, struct firmware, name)
YDOC_STR_FIELD(f_board, struct firmware, board)
YDOC_STR_FIELD(f_cpu, struct firmware, cpu)
#define U32_FIELD(fn, member, min, max) YDOC_U32_FIELD(fn, struct firmware, member, min, max)
U32_FIELD(f_regions, mpu_regions, LIMIT_MPU_REGIONS_MIN, LIMIT_MPU_REGIONS_MAX)
U32_FIELD(f_flash_base, flash_base, 0, 0xffffffffu)
U32_FIELD(f_flash_size, flash_size, 1, 0xffffffffu)
U32_FIELD(f_flash_erase, flash_erase_size, 0, 0x80000000u)
U32_FIELD(f_ram_base, ram_base, 0, 0xffffffffu)
U32_FIELD(f_ram_size, ram_size, 1, 0xffffffffu)
U32_FIELD(f_vectors, vectors, 16, 16 + LIMIT_IRQ_LINES)
U32_FIELD(f_boot, boot_size, 0, 0xffffffffu)
U32_FIELD(f_image_slot, image_slot, 0, 1)
U32_FIELD(f_kernel_stack, kernel_stack, LIMIT_KERNEL_STACK_MIN, 0x100000u)

static int f_arch(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    if (mpu_arch_parse(ydoc_scalar(v), &((struct firmware *)o)->arch) != 0) {
        return ydoc_fail(d, v, e, "'%s' must be armv6m, armv7m or armv8m", k);
    }
    return 0;
}

YDOC_MAP_FIELD(f_mpu, {"arch", true, f_arch}, {"regions", true, f_regions})
YDOC_MAP_FIELD(f_flash, {"base", true, f_flash_base}, {"size", true, f_flash_size},
               {"erase_size", false, f_flash_erase})
YDOC_MAP_FIELD(f_ram, {"base", true, f_ram_base}, {"size", true, f_ram_size})

static int f_processes(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    struct firmware *fw = o;
    return process_list_parse(d, v, k, 0, &fw->procs, &fw->n_procs, e);
}

/* Slots and the commit log are made of the flash's erase units (bsp.yaml
 * memory.flash.erase_size): a board without a flash driver has none. */
static int check_slots(struct ydoc *d, const struct firmware *fw, struct err *e)
{
    uint32_t unit = fw->flash_erase_size, n = 0;
    for (size_t i = 0; i < fw->n_procs; i++) {
        const struct process_decl *p = &fw->procs[i];
        if (p->flash_reserve == 0) {
            continue;
        }
        n++;
        if (unit == 0) {
            return err_set(e,
                           "%s:%lu: process %s is updatable, but board %s has no flash driver "
                           "for its slots (bsp.yaml memory.flash.driver)",
                           d->path, p->line, p->name, fw->board ? fw->board : "?");
        }
        if (p->flash_reserve % unit != 0) {
            return err_set(e,
                           "%s:%lu: process %s: flash_reserve %u is not a whole number of the "
                           "board's flash erase units (%u bytes)",
                           d->path, p->line, p->name, p->flash_reserve, unit);
        }
    }
    if (unit != 0 && n > unit / 8u) {
        return err_set(e,
                       "%s: %u updatable processes; the commit log's unit (%u bytes) holds "
                       "an entry of 8 bytes for at most %u",
                       d->path, n, unit, unit / 8u);
    }
    return 0;
}

/* A process that names its callers must serve one of this firmware's
 * other processes: the names are the services' clients in any firmware
 * (a component names the service it was made for), so those a firmware
 * lacks are left out, but a process serving no one here is a mistake. */
static int check_callers(struct ydoc *d, const struct firmware *fw, struct err *e)
{
    for (size_t i = 0; i < fw->n_procs; i++) {
        const struct process_decl *p = &fw->procs[i];
        bool serves = false;
        for (size_t k = 0; k < p->n_callers; k++) {
            int j = fw_process_index(fw, p->callers[k]);
            serves = serves || (j >= 0 && (size_t)j != i);
        }
        if (p->callers != NULL && !serves) {
            char *names = NULL;
            for (size_t k = 0; k < p->n_callers; k++) {
                list_add(&names, p->callers[k]);
            }
            err_set(e,
                    "%s:%lu: process %s serves only %s (callers), and firmware %s has none of "
                    "them",
                    d->path, p->line, p->name, names, fw->name ? fw->name : "?");
            free(names);
            return err_hint(e, "name the processes of this firmware that call it (cmrx.yaml "
                               "`callers:`, the CMake SDK's CALLERS, a component's `callers` "
                               "setting)");
        }
    }
    return 0;
}

/* What the processes ask for together. */
static int check(struct ydoc *d, struct firmware *fw, struct err *e)
{
    yaml_node_t *root = ydoc_root(d);
    if (fw->kernel_stack % 8 != 0) {
        return ydoc_fail(d, ydoc_map_get(d, root, "kernel_stack", NULL), e,
                         "'kernel_stack' must be a multiple of 8");
    }
    if (fw->boot_size % 4 != 0 || fw->boot_size >= fw->flash_size) {
        return ydoc_fail(d, ydoc_map_get(d, root, "boot", NULL), e,
                         "'boot' (the boot header's size) must be a multiple of 4 that leaves "
                         "flash for the firmware");
    }
    uint32_t threads = 0, timers = 0;
    for (size_t i = 0; i < fw->n_procs; i++) {
        const struct process_decl *p = &fw->procs[i];
        threads += p->threads;
        timers += p->timers;
        for (size_t k = 0; k < p->n_irqs; k++) {
            if (p->irqs[k] + 16u >= fw->vectors) {
                return err_set(e,
                               "%s:%lu: process %s: IRQ %u does not exist on this board (it "
                               "has %u)",
                               d->path, p->line, p->name, p->irqs[k], fw->vectors - 16u);
            }
            for (size_t j = 0; j <= i; j++) {
                const struct process_decl *q = &fw->procs[j];
                for (size_t l = 0; l < q->n_irqs; l++) {
                    if ((j < i || l < k) && q->irqs[l] == p->irqs[k]) {
                        return err_set(e,
                                       "%s:%lu: IRQ %u is claimed by both %s and %s; one process "
                                       "owns a line",
                                       d->path, p->line, p->irqs[k], q->name, p->name);
                    }
                }
            }
        }
    }
    if (check_callers(d, fw, e) != 0 || check_slots(d, fw, e) != 0) {
        return -1;
    }
    if (fw_slots_size(fw) >= fw->flash_size - fw->boot_size) {
        return err_set(e,
                       "%s: the flash reserves of the updatable processes (2 x each) leave no "
                       "flash for the firmware",
                       d->path);
    }
    if (timers > LIMIT_TIMERS) {
        return err_set(e, "%s: %u timers in total; at most %u", d->path, timers, LIMIT_TIMERS);
    }
    if (threads > LIMIT_THREADS) {
        return err_set(e, "%s: %u thread slots in total; at most %u", d->path, threads,
                       LIMIT_THREADS);
    }
    return 0;
}

int fw_parse(const char *path, struct firmware *fw, struct err *e)
{
    char *text;
    size_t len;
    if (read_file(path, &text, &len, e) != 0) {
        return -1;
    }
    int rc = fw_parse_text(path, text, len, fw, e);
    free(text);
    return rc;
}

int fw_parse_text(const char *path, const char *text, size_t len, struct firmware *fw,
                  struct err *e)
{
    static const struct ydoc_field top[] = {
        {"firmware", true, f_name},
        {"board", false, f_board},
        {"cpu", false, f_cpu},
        {"image_slot", false, f_image_slot},
        {"mpu", true, f_mpu},
        {"flash", true, f_flash},
        {"ram", true, f_ram},
        {"vectors", true, f_vectors},
        {"boot", false, f_boot},
        {"kernel_stack", false, f_kernel_stack},
        {"processes", false, f_processes},
    };
    struct ydoc d;
    memset(fw, 0, sizeof(*fw));
    fw->kernel_stack = LIMIT_KERNEL_STACK_DEFAULT;
    if (ydoc_load(&d, path, text, len, e) != 0) {
        return -1;
    }
    int rc = ydoc_walk(&d, ydoc_root(&d), "", top, sizeof(top) / sizeof(top[0]), fw, e);
    if (rc == 0) {
        rc = check(&d, fw, e);
    }
    ydoc_free(&d);
    if (rc != 0) {
        fw_free(fw);
    }
    return rc;
}

void fw_free(struct firmware *fw)
{
    process_list_free(fw->procs, fw->n_procs);
    free(fw->name);
    free(fw->board);
    free(fw->cpu);
    memset(fw, 0, sizeof(*fw));
}

uint32_t fw_stack_slot(const struct firmware *fw, const struct process_decl *p)
{
    return p->threads ? layout_stack_slot(fw->arch, p->stack_size) : 0;
}

static uint32_t n_updatable(const struct firmware *fw)
{
    uint32_t n = 0;
    for (size_t i = 0; i < fw->n_procs; i++) {
        n += fw->procs[i].flash_reserve != 0;
    }
    return n;
}

uint32_t fw_log_size(const struct firmware *fw)
{
    /* Two erase units (commit_log.c), only where a process is updatable. */
    return n_updatable(fw) != 0 ? 2u * fw->flash_erase_size : 0u;
}

uint32_t fw_slots_size(const struct firmware *fw)
{
    uint64_t total = fw_log_size(fw);
    for (size_t i = 0; i < fw->n_procs; i++) {
        total += 2ull * fw->procs[i].flash_reserve;
    }
    return total > 0xffffffffu ? 0xffffffffu : (uint32_t)total;
}

uint32_t fw_log_addr(const struct firmware *fw)
{
    return fw->flash_base + fw->flash_size - fw_log_size(fw);
}

uint32_t fw_slot_addr(const struct firmware *fw, const struct process_decl *p, unsigned slot)
{
    uint32_t end = fw_log_addr(fw);
    for (size_t i = 0; i < fw->n_procs && &fw->procs[i] != p; i++) {
        end -= 2u * fw->procs[i].flash_reserve;
    }
    return end - 2u * p->flash_reserve + slot * p->flash_reserve;
}

int fw_process_index(const struct firmware *fw, const char *name)
{
    for (size_t i = 0; i < fw->n_procs; i++) {
        if (strcmp(fw->procs[i].name, name) == 0) {
            return (int)i;
        }
    }
    return -1;
}

uint32_t fw_guard_size(const struct firmware *fw)
{
    if (fw->flash_base != 0) {
        return 0;
    }
    /* Cover the boot header, the vector table and at least 1 KiB, so that
     * NULL plus a small offset faults in unprivileged code. */
    uint32_t g = 1024;
    while (g < fw->boot_size + fw->vectors * 4u) {
        g <<= 1;
    }
    return g;
}
