#include "report.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"

static uint32_t size_of(const struct elf_file *elf, const char *fmt, const char *name)
{
    char sec[200];
    snprintf(sec, sizeof(sec), fmt, name);
    const struct elf_section *s = elf_find(elf, sec);
    return s ? s->size : 0;
}

static void mpu_desc(char *buf, size_t len, const struct layout_item *it, enum mpu_arch arch)
{
    if (it == NULL || it->shape.footprint == 0) {
        snprintf(buf, len, "-");
    } else if (it->slot) {
        snprintf(buf, len, "%u x %u B", it->count, it->shape.region_size);
    } else if (arch != MPU_ARMV8M && it->shape.srd) {
        unsigned on = 0;
        for (unsigned b = 0; b < 8; b++) {
            on += ((it->shape.srd >> b) & 1u) == 0;
        }
        snprintf(buf, len, "%u B, %u/8 sub", it->shape.region_size, on);
    } else {
        snprintf(buf, len, "%u B", it->shape.region_size);
    }
}

static uint32_t waste(const struct layout_item *it, uint32_t used)
{
    if (it == NULL) {
        return 0;
    }
    return it->gap + layout_item_footprint(it) - used;
}

static cJSON *json_region(const struct layout_item *it, uint32_t used)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "base", it ? it->base : 0);
    cJSON_AddNumberToObject(o, "used", used);
    cJSON_AddNumberToObject(o, "mpu_region_size", it ? it->shape.region_size : 0);
    cJSON_AddNumberToObject(o, "footprint", it ? layout_item_footprint(it) : 0);
    cJSON_AddNumberToObject(o, "waste", waste(it, used));
    return o;
}

/* An updatable process: its image in its slot (used of the reserve, two
 * slots), its RAM (used of the reserve, which the MPU region holds). */
static void report_updatable(FILE *out, const struct elf_file *elf, const struct process_decl *p,
                             const struct plan_proc *pp, enum mpu_arch arch, cJSON *jp,
                             uint32_t *total_waste)
{
    uint32_t image =
        size_of(elf, ".cmrx.slot.%s", p->name) + size_of(elf, ".cmrx.p.%s.data", p->name);
    char m[40];
    snprintf(m, sizeof(m), "2 slots of %u B", p->flash_reserve);
    fprintf(out, "  %-12s %-7s %8u %8s  %-22s %6s\n", p->name, "image", image, "-", m, "-");
    fprintf(out, "  %-12s %-7s %8u %8s  %-22s %6s\n", "", "reserve", p->flash_reserve - image, "-",
            "free in its slot", "-");
    uint32_t w_data = waste(pp->data, pp->data_size);
    uint32_t w_stack = waste(pp->stacks, pp->stacks ? pp->stack_slot * p->threads : 0);
    *total_waste += w_data + w_stack;
    mpu_desc(m, sizeof(m), pp->data, arch);
    fprintf(out, "  %-12s %-7s %8s %8u  %-22s %6u\n", "", "data", "-", pp->data_used, m, w_data);
    fprintf(out, "  %-12s %-7s %8s %8u  %-22s %6s\n", "", "reserve", "-",
            p->ram_reserve - pp->data_used, "free in its RAM", "-");
    if (pp->stacks) {
        mpu_desc(m, sizeof(m), pp->stacks, arch);
        fprintf(out, "  %-12s %-7s %8s %8u  %-22s %6u\n", "", "stacks", "-",
                pp->stack_slot * p->threads, m, w_stack);
    }
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "name", p->name);
    cJSON_AddNumberToObject(o, "flash", 2u * p->flash_reserve);
    cJSON *js = cJSON_AddObjectToObject(o, "image");
    cJSON_AddNumberToObject(js, "used", image);
    cJSON_AddNumberToObject(js, "slot_size", p->flash_reserve);
    cJSON_AddNumberToObject(js, "slots", 2);
    cJSON_AddNumberToObject(js, "version", p->version);
    cJSON *jd = json_region(pp->data, pp->data_size);
    cJSON_AddNumberToObject(jd, "measured", pp->data_used);
    cJSON_AddNumberToObject(jd, "reserve", p->ram_reserve);
    cJSON_AddItemToObject(o, "data", jd);
    if (pp->stacks) {
        cJSON *jst = json_region(pp->stacks, pp->stack_slot * p->threads);
        cJSON_AddNumberToObject(jst, "threads", p->threads);
        cJSON_AddItemToObject(o, "stacks", jst);
    }
    cJSON_AddItemToArray(jp, o);
}

int report_firmware(FILE *out, const struct firmware *fw, const struct elf_file *elf,
                    const struct plan *plan, const char *json_path, struct err *e)
{
    /* The image must be laid out as planned, or the MPU images are wrong. */
    for (size_t i = 0; i < plan->n_items; i++) {
        const struct layout_item *it = &plan->items[i];
        char sec[200];
        snprintf(sec, sizeof(sec), ".cmrx.p.%s.%s", it->owner,
                 strcmp(it->what, "stacks") == 0 ? "stack" : it->what);
        const struct elf_section *s = elf_find(elf, sec);
        if (s != NULL && s->size > 0 && s->addr != it->base) {
            err_set(e,
                    "%s is at 0x%08x but was planned at 0x%08x: the image does not match its "
                    "layout; rebuild from clean",
                    sec, s->addr, it->base);
            return -1;
        }
    }

    for (size_t i = 0; i < fw->n_procs; i++) {
        const struct layout_item *it = plan->procs[i].data;
        char sec[200];
        snprintf(sec, sizeof(sec), ".cmrx.p.%s.bss", fw->procs[i].name);
        const struct elf_section *s = elf_find(elf, sec);
        if (s != NULL && s->size > 0 &&
            (s->addr < it->base || s->addr + s->size > it->base + layout_item_footprint(it))) {
            err_set(e,
                    "%s is at 0x%08x, outside the process's MPU region 0x%08x..0x%08x: the image "
                    "does not match its layout; rebuild from clean",
                    sec, s->addr, it->base, it->base + layout_item_footprint(it));
            return -1;
        }
    }

    uint32_t boot = size_of(elf, "%s", ".cmrx.boot");
    if (boot != fw->boot_size) {
        err_set(e,
                "the image holds a boot header of %u bytes where the board's is %u; rebuild "
                "from clean",
                boot, fw->boot_size);
        return -1;
    }
    uint32_t k_code = size_of(elf, "%s", ".cmrx.kernel.text");
    uint32_t k_data = size_of(elf, "%s", ".data");
    uint32_t k_bss = size_of(elf, "%s", ".bss");
    uint32_t k_msp = size_of(elf, "%s", ".cmrx.msp");
    uint32_t lib_code = size_of(elf, "%s", ".text") + size_of(elf, "%s", ".ARM.exidx") +
                        size_of(elf, "%s", ".ARM.extab");
    uint32_t flash_total = boot + k_code + lib_code + k_data;
    uint32_t ram_total = plan->end - fw->ram_base + k_data + k_bss + k_msp;
    uint32_t total_waste = 0;

    fprintf(out, "Memory of firmware '%s' on %s (%s MPU)\n", fw->name, fw->board ? fw->board : "?",
            mpu_arch_name(fw->arch));
    fprintf(out, "  %-12s %-7s %8s %8s  %-22s %6s\n", "owner", "kind", "flash", "RAM", "MPU region",
            "waste");
    if (boot) {
        fprintf(out, "  %-12s %-7s %8u %8s  %-22s %6s\n", "boot", "header", boot, "-", "-", "-");
    }
    fprintf(out, "  %-12s %-7s %8u %8s  %-22s %6s\n", "kernel", "code", k_code, "-", "-", "-");
    fprintf(out, "  %-12s %-7s %8u %8u  %-22s %6s\n", "kernel", "data", k_data, k_data + k_bss,
            "privileged only", "-");
    fprintf(out, "  %-12s %-7s %8s %8u  %-22s %6s\n", "kernel", "stack", "-", k_msp,
            "privileged only", "-");

    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "firmware", fw->name);
    cJSON_AddStringToObject(root, "board", fw->board ? fw->board : "");
    cJSON_AddStringToObject(root, "mpu", mpu_arch_name(fw->arch));
    cJSON_AddNumberToObject(root, "boot_header", boot);
    cJSON *jk = cJSON_AddObjectToObject(root, "kernel");
    cJSON_AddNumberToObject(jk, "flash", k_code + k_data);
    cJSON_AddNumberToObject(jk, "ram", k_data + k_bss);
    cJSON_AddNumberToObject(jk, "stack", k_msp);
    cJSON *jp = cJSON_AddArrayToObject(root, "processes");

    for (size_t i = 0; i < fw->n_procs; i++) {
        const struct process_decl *p = &fw->procs[i];
        const struct plan_proc *pp = &plan->procs[i];
        if (p->flash_reserve != 0) {
            report_updatable(out, elf, p, pp, fw->arch, jp, &total_waste);
            flash_total += 2u * p->flash_reserve;
            continue;
        }
        uint32_t code = size_of(elf, ".cmrx.p.%s.text", p->name);
        uint32_t dload = size_of(elf, ".cmrx.p.%s.data", p->name);
        uint32_t sload = size_of(elf, ".cmrx.p.%s.shared", p->name);
        uint32_t stacks = pp->stacks ? pp->stack_slot * p->threads : 0;
        char m[40];
        flash_total += code + dload + sload;
        uint32_t w_data = waste(pp->data, pp->data_size);
        uint32_t w_shared = waste(pp->shared, pp->shared_size);
        uint32_t w_stack = waste(pp->stacks, stacks);
        total_waste += w_data + w_shared + w_stack;
        fprintf(out, "  %-12s %-7s %8u %8s  %-22s %6s\n", p->name, "code", code, "-", "-", "-");
        mpu_desc(m, sizeof(m), pp->data, fw->arch);
        fprintf(out, "  %-12s %-7s %8u %8u  %-22s %6u\n", "", "data", dload, pp->data_size, m,
                w_data);
        mpu_desc(m, sizeof(m), pp->shared, fw->arch);
        fprintf(out, "  %-12s %-7s %8u %8u  %-22s %6u\n", "", "shared", sload, pp->shared_size, m,
                w_shared);
        if (pp->stacks) {
            mpu_desc(m, sizeof(m), pp->stacks, fw->arch);
            fprintf(out, "  %-12s %-7s %8s %8u  %-22s %6u\n", "", "stacks", "-", stacks, m,
                    w_stack);
        }
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "name", p->name);
        cJSON_AddNumberToObject(o, "flash", code + dload + sload);
        cJSON_AddItemToObject(o, "data", json_region(pp->data, pp->data_size));
        cJSON_AddItemToObject(o, "shared", json_region(pp->shared, pp->shared_size));
        if (pp->stacks) {
            cJSON *js = json_region(pp->stacks, stacks);
            cJSON_AddNumberToObject(js, "threads", p->threads);
            cJSON_AddItemToObject(o, "stacks", js);
        }
        cJSON_AddItemToArray(jp, o);
    }
    fprintf(out, "  %-12s %-7s %8u %8s  %-22s %6s\n", "libraries", "code", lib_code, "-", "-", "-");
    fprintf(out, "  flash %u of %u bytes, RAM %u of %u bytes, MPU alignment waste %u bytes\n",
            flash_total, fw->flash_size, ram_total, fw->ram_size, total_waste);

    int rc = 0;
    if (json_path != NULL) {
        cJSON_AddNumberToObject(root, "flash_used", flash_total);
        cJSON_AddNumberToObject(root, "flash_size", fw->flash_size);
        cJSON_AddNumberToObject(root, "ram_used", ram_total);
        cJSON_AddNumberToObject(root, "ram_size", fw->ram_size);
        cJSON_AddNumberToObject(root, "mpu_waste", total_waste);
        cJSON_AddNumberToObject(root, "libraries_flash", lib_code);
        char *text = cJSON_Print(root);
        char *line = xasprintf("%s\n", text ? text : "{}");
        rc = write_file_atomic(json_path, line, strlen(line), e);
        free(line);
        cJSON_free(text);
    }
    cJSON_Delete(root);
    return rc;
}
