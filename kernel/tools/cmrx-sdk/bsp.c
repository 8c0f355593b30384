#include "bsp.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

/* CPUs the SDK can build for, with the MPU and FPUs each one may have. */
static const struct cpu_info {
    const char *cpu;
    enum mpu_arch mpu;
    const char *fpus; /* space-separated, "none" first */
} cpus[] = {
    {"cortex-m0plus", MPU_ARMV6M, "none"},      {"cortex-m3", MPU_ARMV7M, "none"},
    {"cortex-m4", MPU_ARMV7M, "none fpv4-sp"},  {"cortex-m7", MPU_ARMV7M, "none fpv5-sp fpv5-dp"},
    {"cortex-m33", MPU_ARMV8M, "none fpv5-sp"},
};

static const char *const console_drivers[] = {"cmsdk-uart", "stm32-usart", "stm32-usart-v2",
                                              "nrf-uarte",  "pl011",       "semihosting"};

struct ctx {
    const char *path;
    yaml_document_t *doc;
    char *err;
    size_t errlen;
    const yaml_node_t *boot; /* for errors found once the whole file is read */
};

static int fail(struct ctx *c, const yaml_node_t *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(struct ctx *c, const yaml_node_t *n, const char *fmt, ...)
{
    int o = snprintf(c->err, c->errlen, "%s:%lu: ", c->path,
                     n ? (unsigned long)n->start_mark.line + 1 : 1ul);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->err + o, c->errlen - (size_t)o, fmt, ap);
    va_end(ap);
    return -1;
}

static const char *scalar(const yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static int get_str(struct ctx *c, const yaml_node_t *n, const char *key, char **out)
{
    const char *s = scalar(n);
    if (s == NULL || *s == '\0') {
        return fail(c, n, "'%s' must be a non-empty string", key);
    }
    *out = strdup(s);
    return 0;
}

/* Integers: decimal or 0x hex, with an optional K or M suffix (x1024). */
static int get_u32(struct ctx *c, const yaml_node_t *n, const char *key, uint32_t *out)
{
    const char *s = scalar(n);
    char *end;
    if (s == NULL || *s == '\0' || *s == '-') {
        return fail(c, n, "'%s' must be a number", key);
    }
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (*end == 'K' || *end == 'k') {
        v *= 1024u;
        end++;
    } else if (*end == 'M') {
        v *= 1024u * 1024u;
        end++;
    }
    if (errno != 0 || end == s || *end != '\0' || v > 0xFFFFFFFFull) {
        return fail(c, n, "'%s' must be a number (decimal, 0x hex, K/M suffix), not '%s'", key, s);
    }
    *out = (uint32_t)v;
    return 0;
}

typedef int (*field_fn)(struct ctx *c, const yaml_node_t *v, const char *key, struct bsp *b);

struct field {
    const char *key;
    bool required;
    field_fn fn;
};

/* Walk a mapping: every key must be known, every required key present. */
static int walk(struct ctx *c, const yaml_node_t *map, const char *where, const struct field *f,
                size_t nf, struct bsp *b)
{
    if (map == NULL || map->type != YAML_MAPPING_NODE) {
        return fail(c, map, "'%s' must be a mapping", where);
    }
    bool seen[32] = {false};
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        const yaml_node_t *k = yaml_document_get_node(c->doc, p->key);
        const yaml_node_t *v = yaml_document_get_node(c->doc, p->value);
        const char *ks = scalar(k);
        size_t i;
        for (i = 0; i < nf && (ks == NULL || strcmp(ks, f[i].key) != 0); i++) {
        }
        if (i == nf) {
            char known[512] = "";
            for (size_t j = 0; j < nf; j++) {
                strncat(known, f[j].key, sizeof(known) - strlen(known) - 3);
                if (j + 1 < nf) {
                    strncat(known, ", ", sizeof(known) - strlen(known) - 1);
                }
            }
            return fail(c, k, "unknown key '%s%s%s' (known: %s)", where[0] ? where : "",
                        where[0] ? "." : "", ks ? ks : "?", known);
        }
        if (seen[i]) {
            return fail(c, k, "key '%s' appears twice", ks);
        }
        seen[i] = true;
        if (f[i].fn(c, v, ks, b) != 0) {
            return -1;
        }
    }
    for (size_t i = 0; i < nf; i++) {
        if (f[i].required && !seen[i]) {
            return fail(c, map, "missing required key '%s%s%s'", where[0] ? where : "",
                        where[0] ? "." : "", f[i].key);
        }
    }
    return 0;
}

#define STR_FIELD(fn, member)                                                                      \
    static int fn(struct ctx *c, const yaml_node_t *v, const char *k, struct bsp *b)               \
    {                                                                                              \
        return get_str(c, v, k, &b->member);                                                       \
    }
#define U32_FIELD(fn, member)                                                                      \
    static int fn(struct ctx *c, const yaml_node_t *v, const char *k, struct bsp *b)               \
    {                                                                                              \
        return get_u32(c, v, k, &b->member);                                                       \
    }

STR_FIELD(f_name, name)
STR_FIELD(f_version, version)
STR_FIELD(f_description, description)
STR_FIELD(f_cpu, cpu)
STR_FIELD(f_fpu, fpu)
STR_FIELD(f_shutdown, shutdown)
STR_FIELD(f_console_driver, console_driver)
STR_FIELD(f_qemu_machine, qemu_machine)
STR_FIELD(f_pyocd_target, pyocd_target)
U32_FIELD(f_irqs, irqs)
U32_FIELD(f_clock, clock_hz)
U32_FIELD(f_regions, mpu_regions)
U32_FIELD(f_flash_base, flash_base)
U32_FIELD(f_flash_size, flash_size)
U32_FIELD(f_ram_base, ram_base)
U32_FIELD(f_ram_size, ram_size)
U32_FIELD(f_console_base, console_base)
U32_FIELD(f_console_baud, console_baud)
U32_FIELD(f_console_clock, console_clock_hz)
U32_FIELD(f_qemu_serial, qemu_serial)
U32_FIELD(f_boot_size, boot_size)

static int f_mpu_arch(struct ctx *c, const yaml_node_t *v, const char *k, struct bsp *b)
{
    const char *s = scalar(v);
    if (s == NULL || mpu_arch_parse(s, &b->mpu_arch) != 0) {
        return fail(c, v, "'%s' must be armv6m, armv7m or armv8m", k);
    }
    return 0;
}

static int f_mpu(struct ctx *c, const yaml_node_t *v, const char *k, struct bsp *b)
{
    (void)k;
    static const struct field f[] = {{"arch", true, f_mpu_arch}, {"regions", true, f_regions}};
    return walk(c, v, "mpu", f, 2, b);
}

static int f_flash(struct ctx *c, const yaml_node_t *v, const char *k, struct bsp *b)
{
    (void)k;
    static const struct field f[] = {{"base", true, f_flash_base}, {"size", true, f_flash_size}};
    return walk(c, v, "memory.flash", f, 2, b);
}

static int f_ram(struct ctx *c, const yaml_node_t *v, const char *k, struct bsp *b)
{
    (void)k;
    static const struct field f[] = {{"base", true, f_ram_base}, {"size", true, f_ram_size}};
    return walk(c, v, "memory.ram", f, 2, b);
}

static int f_memory(struct ctx *c, const yaml_node_t *v, const char *k, struct bsp *b)
{
    (void)k;
    static const struct field f[] = {{"flash", true, f_flash}, {"ram", true, f_ram}};
    return walk(c, v, "memory", f, 2, b);
}

static int f_console_irqs(struct ctx *c, const yaml_node_t *v, const char *k, struct bsp *b)
{
    if (v->type != YAML_SEQUENCE_NODE) {
        return fail(c, v, "'console.%s' must be a list of interrupt numbers", k);
    }
    for (yaml_node_item_t *i = v->data.sequence.items.start; i < v->data.sequence.items.top; i++) {
        const yaml_node_t *n = yaml_document_get_node(c->doc, *i);
        if (b->n_console_irqs == 4) {
            return fail(c, n, "'console.%s' lists more than 4 interrupts", k);
        }
        if (get_u32(c, n, "console.irqs", &b->console_irqs[b->n_console_irqs]) != 0) {
            return -1;
        }
        if (b->console_irqs[b->n_console_irqs] >= 496) {
            return fail(c, n, "'console.%s' entries must be interrupt numbers 0..495", k);
        }
        b->n_console_irqs++;
    }
    return 0;
}

static int f_console(struct ctx *c, const yaml_node_t *v, const char *k, struct bsp *b)
{
    (void)k;
    static const struct field f[] = {{"driver", true, f_console_driver},
                                     {"base", false, f_console_base},
                                     {"baud", false, f_console_baud},
                                     {"clock_hz", false, f_console_clock},
                                     {"irqs", false, f_console_irqs}};
    return walk(c, v, "console", f, 5, b);
}

static int f_qemu(struct ctx *c, const yaml_node_t *v, const char *k, struct bsp *b)
{
    (void)k;
    static const struct field f[] = {{"machine", true, f_qemu_machine},
                                     {"serial", false, f_qemu_serial}};
    return walk(c, v, "qemu", f, 2, b);
}

static int f_pyocd(struct ctx *c, const yaml_node_t *v, const char *k, struct bsp *b)
{
    (void)k;
    static const struct field f[] = {{"target", true, f_pyocd_target}};
    return walk(c, v, "pyocd", f, 1, b);
}

/* A file of the BSP, named relative to its folder; @p rule says so in errors. */
static int get_file(struct ctx *c, const yaml_node_t *n, const char *rule, char **out)
{
    const char *s = scalar(n);
    if (s == NULL || *s == '\0' || s[0] == '/' || strstr(s, "..") != NULL) {
        return fail(c, n, "%s inside the BSP folder", rule);
    }
    *out = strdup(s);
    return 0;
}

static int f_sources(struct ctx *c, const yaml_node_t *v, const char *k, struct bsp *b)
{
    if (v->type != YAML_SEQUENCE_NODE) {
        return fail(c, v, "'%s' must be a list of file names", k);
    }
    for (yaml_node_item_t *i = v->data.sequence.items.start; i < v->data.sequence.items.top; i++) {
        const yaml_node_t *n = yaml_document_get_node(c->doc, *i);
        if (b->n_sources == BSP_MAX_SOURCES) {
            return fail(c, n, "more than %d sources", BSP_MAX_SOURCES);
        }
        if (get_file(c, n, "'sources' entries must be file names", &b->sources[b->n_sources]) !=
            0) {
            return -1;
        }
        b->n_sources++;
    }
    return 0;
}

static int f_boot_source(struct ctx *c, const yaml_node_t *v, const char *k, struct bsp *b)
{
    (void)k;
    return get_file(c, v, "'boot.source' must be a file name", &b->boot_source);
}

static int f_boot_run_at(struct ctx *c, const yaml_node_t *v, const char *k, struct bsp *b)
{
    b->boot_run_at_given = true;
    return get_u32(c, v, k, &b->boot_run_at);
}

static int f_boot_checksum(struct ctx *c, const yaml_node_t *v, const char *k, struct bsp *b)
{
    const char *s = scalar(v);
    if (s == NULL || boot_checksum_parse(s, &b->boot_checksum) != 0) {
        return fail(c, v, "'boot.%s' must be none or crc32-mpeg2 (the RP2040 boot ROM's CRC-32)",
                    k);
    }
    return 0;
}

static int f_boot(struct ctx *c, const yaml_node_t *v, const char *k, struct bsp *b)
{
    (void)k;
    static const struct field f[] = {{"source", true, f_boot_source},
                                     {"size", true, f_boot_size},
                                     {"run_at", false, f_boot_run_at},
                                     {"checksum", false, f_boot_checksum}};
    c->boot = v;
    if (walk(c, v, "boot", f, 4, b) != 0) {
        return -1;
    }
    uint32_t least = 4u + boot_checksum_size(b->boot_checksum);
    if (b->boot_size < least || b->boot_size > BOOT_MAX_SIZE || b->boot_size % 4u != 0) {
        return fail(c, v,
                    "'boot.size' must be a multiple of 4 from %u (room for code%s) to %u bytes, "
                    "not %u",
                    least, b->boot_checksum == BOOT_CHECKSUM_NONE ? "" : " and the checksum",
                    BOOT_MAX_SIZE, b->boot_size);
    }
    return 0;
}

bool bsp_peripheral_name_valid(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > BSP_PERIPH_NAME_MAX || s[0] < 'a' || s[0] > 'z') {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_')) {
            return false;
        }
    }
    return true;
}

const struct bsp_peripheral *bsp_peripheral(const struct bsp *b, const char *name)
{
    for (size_t i = 0; i < b->n_peripherals; i++) {
        if (strcmp(b->peripherals[i].name, name) == 0) {
            return &b->peripherals[i];
        }
    }
    return NULL;
}

/* The interrupt lines of a peripheral: `irq: N` or `irqs: [N, ...]`. */
static int periph_irqs(struct ctx *c, const yaml_node_t *v, const char *where, const char *k,
                       struct bsp_peripheral *p)
{
    if (p->n_irqs != 0) {
        return fail(c, v, "'%s' gives both 'irq' and 'irqs'; use 'irqs' for several lines", where);
    }
    if (strcmp(k, "irq") == 0) {
        p->n_irqs = 1;
        return get_u32(c, v, "irq", &p->irqs[0]);
    }
    if (v->type != YAML_SEQUENCE_NODE) {
        return fail(c, v, "'%s.irqs' must be a list of interrupt numbers", where);
    }
    for (yaml_node_item_t *i = v->data.sequence.items.start; i < v->data.sequence.items.top; i++) {
        const yaml_node_t *n = yaml_document_get_node(c->doc, *i);
        if (p->n_irqs == BSP_MAX_PERIPH_IRQS) {
            return fail(c, n, "'%s.irqs' lists more than %d interrupts", where,
                        BSP_MAX_PERIPH_IRQS);
        }
        if (get_u32(c, n, "irqs", &p->irqs[p->n_irqs++]) != 0) {
            return -1;
        }
    }
    return 0;
}

/* One entry of `peripherals:`: {driver, base, size, irq/irqs}. */
static int periph_entry(struct ctx *c, const yaml_node_t *k, const yaml_node_t *v, struct bsp *b)
{
    const char *name = scalar(k);
    if (name == NULL || !bsp_peripheral_name_valid(name)) {
        return fail(c, k,
                    "peripheral name '%s' must be a lower-case C identifier of at most %d "
                    "characters (eth0, timer0, uart1)",
                    name ? name : "?", BSP_PERIPH_NAME_MAX);
    }
    if (bsp_peripheral(b, name) != NULL) {
        return fail(c, k, "peripheral '%s' appears twice", name);
    }
    if (b->n_peripherals == BSP_MAX_PERIPHERALS) {
        return fail(c, k, "more than %d peripherals", BSP_MAX_PERIPHERALS);
    }
    char where[64];
    snprintf(where, sizeof(where), "peripherals.%s", name);
    if (v == NULL || v->type != YAML_MAPPING_NODE) {
        return fail(c, v, "'%s' must be a mapping {driver, base, size, irq}", where);
    }
    struct bsp_peripheral *p = &b->peripherals[b->n_peripherals++];
    p->name = strdup(name);
    p->line = (unsigned long)k->start_mark.line + 1;
    bool has_base = false, has_size = false;
    for (yaml_node_pair_t *q = v->data.mapping.pairs.start; q < v->data.mapping.pairs.top; q++) {
        const yaml_node_t *qk = yaml_document_get_node(c->doc, q->key);
        const yaml_node_t *qv = yaml_document_get_node(c->doc, q->value);
        const char *ks = scalar(qk);
        int rc;
        if (ks != NULL && strcmp(ks, "driver") == 0 && p->driver == NULL) {
            rc = get_str(c, qv, "driver", &p->driver);
        } else if (ks != NULL && strcmp(ks, "base") == 0 && !has_base) {
            has_base = true;
            rc = get_u32(c, qv, "base", &p->base);
        } else if (ks != NULL && strcmp(ks, "size") == 0 && !has_size) {
            has_size = true;
            rc = get_u32(c, qv, "size", &p->size);
        } else if (ks != NULL && (strcmp(ks, "irq") == 0 || strcmp(ks, "irqs") == 0)) {
            rc = periph_irqs(c, qv, where, ks, p);
        } else if (ks != NULL && (strcmp(ks, "driver") == 0 || strcmp(ks, "base") == 0 ||
                                  strcmp(ks, "size") == 0)) {
            rc = fail(c, qk, "key '%s.%s' appears twice", where, ks);
        } else {
            rc = fail(c, qk, "unknown key '%s.%s' (known: driver, base, size, irq, irqs)", where,
                      ks ? ks : "?");
        }
        if (rc != 0) {
            return -1;
        }
    }
    if (p->driver == NULL || !has_base || !has_size) {
        return fail(c, v, "missing required key '%s.%s'", where,
                    p->driver == NULL ? "driver"
                    : !has_base       ? "base"
                                      : "size");
    }
    /* The driver name selects code in CMake and C: keep it to a plain word. */
    for (const char *d = p->driver; *d != '\0'; d++) {
        if (!((*d >= 'a' && *d <= 'z') || (*d >= '0' && *d <= '9') || *d == '-' || *d == '_')) {
            return fail(c, v, "'%s.driver' '%s' must be lower-case letters, digits, '-' and '_'",
                        where, p->driver);
        }
    }
    return 0;
}

static int f_peripherals(struct ctx *c, const yaml_node_t *v, const char *k, struct bsp *b)
{
    if (v->type != YAML_MAPPING_NODE) {
        return fail(c, v, "'%s' must be a mapping of names to {driver, base, size, irq}", k);
    }
    for (yaml_node_pair_t *p = v->data.mapping.pairs.start; p < v->data.mapping.pairs.top; p++) {
        if (periph_entry(c, yaml_document_get_node(c->doc, p->key),
                         yaml_document_get_node(c->doc, p->value), b) != 0) {
            return -1;
        }
    }
    return 0;
}

static bool ranges_overlap(uint32_t a, uint32_t an, uint32_t b, uint32_t bn)
{
    return (uint64_t)a < (uint64_t)b + bn && (uint64_t)b < (uint64_t)a + an;
}

/* Peripherals must be MMIO a process can be granted: one MPU region each,
 * outside flash and RAM, apart from each other, with real interrupt lines. */
static int check_peripherals(struct ctx *c, const struct bsp *b)
{
    for (size_t i = 0; i < b->n_peripherals; i++) {
        const struct bsp_peripheral *p = &b->peripherals[i];
        struct region_shape shape;
        char why[256];
        yaml_node_t at = {.start_mark = {.line = p->line - 1}};
        if ((uint64_t)p->base + p->size > 0x100000000ull) {
            return fail(c, &at, "peripheral '%s' ends above 4 GiB", p->name);
        }
        if (ranges_overlap(p->base, p->size, b->flash_base, b->flash_size) ||
            ranges_overlap(p->base, p->size, b->ram_base, b->ram_size)) {
            return fail(c, &at,
                        "peripheral '%s' (0x%08x+0x%x) overlaps the board's %s; a peripheral "
                        "is device memory a process is granted",
                        p->name, p->base, p->size,
                        ranges_overlap(p->base, p->size, b->flash_base, b->flash_size) ? "flash"
                                                                                       : "RAM");
        }
        if (layout_fixed_region(b->mpu_arch, p->base, p->size, &shape, why, sizeof(why)) != 0) {
            return fail(c, &at, "peripheral '%s': %s", p->name, why);
        }
        for (size_t k = 0; k < p->n_irqs; k++) {
            if (p->irqs[k] >= b->irqs) {
                return fail(c, &at, "peripheral '%s': interrupt %u is beyond the board's %u (irqs)",
                            p->name, p->irqs[k], b->irqs);
            }
        }
        for (size_t j = 0; j < i; j++) {
            const struct bsp_peripheral *q = &b->peripherals[j];
            if (ranges_overlap(p->base, p->size, q->base, q->size)) {
                return fail(c, &at, "peripherals '%s' and '%s' overlap", q->name, p->name);
            }
        }
    }
    return 0;
}

/* What starts flash: the vector table, or the boot header and the vector
 * table after it; either way VTOR must be able to point at the table. */
static int check_flash_start(struct ctx *c, const yaml_node_t *root, struct bsp *b)
{
    uint32_t vectors = 16u + b->irqs;
    uint32_t align = boot_vector_align(b->mpu_arch, vectors);
    uint32_t table = b->flash_base + b->boot_size;
    if (b->boot_source == NULL) {
        if (table % align != 0) {
            return fail(c, root,
                        "memory.flash.base 0x%08x cannot start with the vector table: VTOR needs "
                        "a %u-byte boundary for %u vectors on %s",
                        table, align, vectors, mpu_arch_name(b->mpu_arch));
        }
        return 0;
    }
    if (b->boot_size >= b->flash_size) {
        return fail(c, c->boot, "'boot.size' %u leaves no flash for the firmware (%u bytes)",
                    b->boot_size, b->flash_size);
    }
    if (table % align != 0) {
        return fail(c, c->boot,
                    "'boot.size' %u puts the vector table at 0x%08x, but VTOR needs a %u-byte "
                    "boundary for %u vectors on %s; make boot.size a multiple of %u",
                    b->boot_size, table, align, vectors, mpu_arch_name(b->mpu_arch), align);
    }
    if (!b->boot_run_at_given) {
        b->boot_run_at = b->flash_base;
    }
    return 0;
}

static int check(struct ctx *c, const yaml_node_t *root, struct bsp *b)
{
    const struct cpu_info *ci = NULL;
    for (size_t i = 0; i < sizeof(cpus) / sizeof(cpus[0]); i++) {
        if (strcmp(cpus[i].cpu, b->cpu) == 0) {
            ci = &cpus[i];
        }
    }
    if (ci == NULL) {
        return fail(c, root,
                    "unknown cpu '%s' (supported: cortex-m0plus, cortex-m3, cortex-m4, "
                    "cortex-m7, cortex-m33)",
                    b->cpu);
    }
    if (b->fpu == NULL) {
        b->fpu = strdup("none");
    }
    const char *hit = strstr(ci->fpus, b->fpu);
    size_t fl = strlen(b->fpu);
    if (hit == NULL || (hit[fl] != '\0' && hit[fl] != ' ')) {
        return fail(c, root, "fpu '%s' is not available on %s (choose from: %s)", b->fpu, b->cpu,
                    ci->fpus);
    }
    if (ci->mpu != b->mpu_arch) {
        return fail(c, root, "mpu.arch '%s' does not match cpu %s (it has %s)",
                    mpu_arch_name(b->mpu_arch), b->cpu, mpu_arch_name(ci->mpu));
    }
    if (b->mpu_regions < 8 || b->mpu_regions > 16) {
        return fail(c, root, "mpu.regions must be 8..16; CMRX needs 8");
    }
    if (b->irqs > 496) {
        return fail(c, root, "irqs must be at most 496");
    }
    if (b->clock_hz < 1000000 || b->clock_hz % 1000u != 0) {
        return fail(c, root, "clock_hz must be a whole number of kHz, at least 1 MHz");
    }
    size_t nd = sizeof(console_drivers) / sizeof(console_drivers[0]);
    size_t i;
    for (i = 0; i < nd && strcmp(console_drivers[i], b->console_driver) != 0; i++) {
    }
    if (i == nd) {
        return fail(c, root,
                    "console.driver '%s' is unknown (cmsdk-uart, stm32-usart, stm32-usart-v2, "
                    "nrf-uarte, pl011, semihosting)",
                    b->console_driver);
    }
    if (strcmp(b->console_driver, "semihosting") != 0 && b->console_base == 0) {
        return fail(c, root, "console.base is required for driver %s", b->console_driver);
    }
    for (size_t i = 0; i < b->n_console_irqs; i++) {
        if (b->console_irqs[i] >= b->irqs) {
            return fail(c, root, "console.irqs: interrupt %u is beyond the board's %u (irqs)",
                        b->console_irqs[i], b->irqs);
        }
    }
    if (b->console_baud == 0) {
        b->console_baud = 115200;
    }
    if (b->console_clock_hz == 0) {
        b->console_clock_hz = b->clock_hz;
    }
    if (b->console_clock_hz / 16u < b->console_baud) {
        return fail(c, root,
                    "console.clock_hz %u is too slow for console.baud %u (a UART needs 16 clock "
                    "cycles per bit)",
                    b->console_clock_hz, b->console_baud);
    }
    /* QEMU's serial ports are numbered by the order of -serial options. */
    if (b->qemu_serial > 15) {
        return fail(c, root, "qemu.serial must be 0..15, not %u", b->qemu_serial);
    }
    if (strcmp(b->shutdown, "semihosting") != 0 && strcmp(b->shutdown, "reset") != 0) {
        return fail(c, root, "shutdown must be 'semihosting' or 'reset', not '%s'", b->shutdown);
    }
    if ((uint64_t)b->flash_base + b->flash_size > 0x100000000ull ||
        (uint64_t)b->ram_base + b->ram_size > 0x100000000ull) {
        return fail(c, root, "memory regions must lie below 4 GiB");
    }
    if (check_peripherals(c, b) != 0) {
        return -1;
    }
    return check_flash_start(c, root, b);
}

int bsp_load(const char *path, struct bsp *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof(*out));
    FILE *fp = fopen(path, "rb");
    if (fp == NULL) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    yaml_parser_t parser;
    yaml_document_t doc;
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_file(&parser, fp);
    int rc = -1;
    if (!yaml_parser_load(&parser, &doc)) {
        snprintf(err, errlen, "%s:%lu:%lu: YAML syntax error: %s", path,
                 (unsigned long)parser.problem_mark.line + 1,
                 (unsigned long)parser.problem_mark.column + 1,
                 parser.problem ? parser.problem : "unknown");
        yaml_parser_delete(&parser);
        fclose(fp);
        return -1;
    }
    struct ctx c = {path, &doc, err, errlen, NULL};
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    static const struct field top[] = {
        {"name", true, f_name},
        {"version", true, f_version},
        {"description", true, f_description},
        {"cpu", true, f_cpu},
        {"fpu", false, f_fpu},
        {"mpu", true, f_mpu},
        {"irqs", true, f_irqs},
        {"memory", true, f_memory},
        {"clock_hz", true, f_clock},
        {"console", true, f_console},
        {"shutdown", true, f_shutdown},
        {"qemu", false, f_qemu},
        {"pyocd", false, f_pyocd},
        {"sources", false, f_sources},
        {"boot", false, f_boot},
        {"peripherals", false, f_peripherals},
    };
    if (root == NULL) {
        snprintf(err, errlen, "%s: empty file", path);
    } else if (walk(&c, root, "", top, sizeof(top) / sizeof(top[0]), out) == 0 &&
               check(&c, root, out) == 0) {
        rc = 0;
    }
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    fclose(fp);
    if (rc != 0) {
        bsp_free(out);
    }
    return rc;
}

void bsp_free(struct bsp *b)
{
    free(b->name);
    free(b->version);
    free(b->description);
    free(b->cpu);
    free(b->fpu);
    free(b->console_driver);
    free(b->shutdown);
    free(b->qemu_machine);
    free(b->pyocd_target);
    for (size_t i = 0; i < b->n_sources; i++) {
        free(b->sources[i]);
    }
    free(b->boot_source);
    for (size_t i = 0; i < b->n_peripherals; i++) {
        free(b->peripherals[i].name);
        free(b->peripherals[i].driver);
    }
    memset(b, 0, sizeof(*b));
}

static FILE *open_tmp(const char *path, char *tmp, size_t tmplen, char *err, size_t errlen)
{
    snprintf(tmp, tmplen, "%s.tmp", path);
    FILE *fp = fopen(tmp, "w");
    if (fp == NULL) {
        snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
    }
    return fp;
}

static int close_tmp(FILE *fp, const char *tmp, const char *path, char *err, size_t errlen)
{
    int bad = ferror(fp);
    if (fclose(fp) != 0 || bad || rename(tmp, path) != 0) {
        snprintf(err, errlen, "%s: write failed", path);
        remove(tmp);
        return -1;
    }
    return 0;
}

int bsp_write_cmake(const struct bsp *b, const char *bsp_dir, const char *path, char *err,
                    size_t errlen)
{
    char tmp[4200];
    FILE *f = open_tmp(path, tmp, sizeof(tmp), err, errlen);
    if (f == NULL) {
        return -1;
    }
    fprintf(f, "# Generated by cmrx-sdk from %s/bsp.yaml. Do not edit.\n", bsp_dir);
    fprintf(f, "set(CMRX_BSP_NAME \"%s\")\n", b->name);
    fprintf(f, "set(CMRX_BSP_VERSION \"%s\")\n", b->version);
    fprintf(f, "set(CMRX_BSP_CPU \"%s\")\n", b->cpu);
    fprintf(f, "set(CMRX_BSP_FPU \"%s\")\n", b->fpu);
    fprintf(f, "set(CMRX_BSP_MPU_ARCH \"%s\")\n", mpu_arch_name(b->mpu_arch));
    fprintf(f, "set(CMRX_BSP_MPU_REGIONS %u)\n", b->mpu_regions);
    fprintf(f, "set(CMRX_BSP_IRQS %u)\n", b->irqs);
    fprintf(f, "set(CMRX_BSP_FLASH_BASE 0x%08x)\n", b->flash_base);
    fprintf(f, "set(CMRX_BSP_FLASH_SIZE %u)\n", b->flash_size);
    fprintf(f, "set(CMRX_BSP_RAM_BASE 0x%08x)\n", b->ram_base);
    fprintf(f, "set(CMRX_BSP_RAM_SIZE %u)\n", b->ram_size);
    fprintf(f, "set(CMRX_BSP_CLOCK_HZ %u)\n", b->clock_hz);
    fprintf(f, "set(CMRX_BSP_CONSOLE_DRIVER \"%s\")\n", b->console_driver);
    fprintf(f, "set(CMRX_BSP_CONSOLE_BASE 0x%08x)\n", b->console_base);
    fprintf(f, "set(CMRX_BSP_CONSOLE_IRQS");
    for (size_t i = 0; i < b->n_console_irqs; i++) {
        fprintf(f, " %u", b->console_irqs[i]);
    }
    fprintf(f, ")\n");
    fprintf(f, "set(CMRX_BSP_SHUTDOWN \"%s\")\n", b->shutdown);
    fprintf(f, "set(CMRX_BSP_QEMU_MACHINE \"%s\")\n", b->qemu_machine ? b->qemu_machine : "");
    fprintf(f, "set(CMRX_BSP_QEMU_SERIAL %u)\n", b->qemu_serial);
    fprintf(f, "set(CMRX_BSP_PYOCD_TARGET \"%s\")\n", b->pyocd_target ? b->pyocd_target : "");
    fprintf(f, "set(CMRX_BSP_SOURCES");
    for (size_t i = 0; i < b->n_sources; i++) {
        fprintf(f, " \"%s/%s\"", bsp_dir, b->sources[i]);
    }
    fprintf(f, ")\n");
    if (b->boot_source != NULL) {
        fprintf(f, "set(CMRX_BSP_BOOT_SOURCE \"%s/%s\")\n", bsp_dir, b->boot_source);
    } else {
        fprintf(f, "set(CMRX_BSP_BOOT_SOURCE \"\")\n");
    }
    fprintf(f, "set(CMRX_BSP_BOOT_SIZE %u)\n", b->boot_size);
    fprintf(f, "set(CMRX_BSP_BOOT_RUN_AT 0x%08x)\n", b->boot_run_at);
    fprintf(f, "set(CMRX_BSP_BOOT_CHECKSUM \"%s\")\n", boot_checksum_name(b->boot_checksum));
    /* Peripherals: the list of names, then per name (upper case) its facts. */
    fprintf(f, "set(CMRX_BSP_PERIPHERALS");
    for (size_t i = 0; i < b->n_peripherals; i++) {
        fprintf(f, " %s", b->peripherals[i].name);
    }
    fprintf(f, ")\n");
    for (size_t i = 0; i < b->n_peripherals; i++) {
        const struct bsp_peripheral *p = &b->peripherals[i];
        char up[BSP_PERIPH_NAME_MAX + 1];
        size_t n = 0;
        for (; p->name[n] != '\0'; n++) {
            up[n] = (char)(p->name[n] >= 'a' && p->name[n] <= 'z' ? p->name[n] - 'a' + 'A'
                                                                  : p->name[n]);
        }
        up[n] = '\0';
        fprintf(f, "set(CMRX_BSP_PERIPH_%s_DRIVER \"%s\")\n", up, p->driver);
        fprintf(f, "set(CMRX_BSP_PERIPH_%s_BASE 0x%08x)\n", up, p->base);
        fprintf(f, "set(CMRX_BSP_PERIPH_%s_SIZE 0x%x)\n", up, p->size);
        fprintf(f, "set(CMRX_BSP_PERIPH_%s_IRQS", up);
        for (size_t k = 0; k < p->n_irqs; k++) {
            fprintf(f, " %u", p->irqs[k]);
        }
        fprintf(f, ")\n");
    }
    return close_tmp(f, tmp, path, err, errlen);
}

int bsp_write_header(const struct bsp *b, const char *path, char *err, size_t errlen)
{
    char tmp[4200];
    FILE *f = open_tmp(path, tmp, sizeof(tmp), err, errlen);
    if (f == NULL) {
        return -1;
    }
    fprintf(f, "/* Board %s, generated by cmrx-sdk from its bsp.yaml. Do not edit. */\n", b->name);
    fprintf(f, "#ifndef CMRX_BSP_CONFIG_H\n#define CMRX_BSP_CONFIG_H\n\n");
    fprintf(f, "#define CMRX_BSP_NAME \"%s\"\n", b->name);
    fprintf(f, "#define CMRX_BSP_CLOCK_HZ %uu\n", b->clock_hz);
    fprintf(f, "#define CMRX_BSP_IRQ_COUNT %u\n", b->irqs);
    fprintf(f, "#define CMRX_BSP_CONSOLE_BASE 0x%08xu\n", b->console_base);
    fprintf(f, "#define CMRX_BSP_CONSOLE_BAUD %uu\n", b->console_baud);
    fprintf(f, "#define CMRX_BSP_CONSOLE_CLOCK_HZ %uu\n", b->console_clock_hz);
    fprintf(f, "#define CMRX_BSP_CONSOLE_SEMIHOSTING %d\n",
            strcmp(b->console_driver, "semihosting") == 0);
    fprintf(f, "#define CMRX_BSP_SHUTDOWN_SEMIHOSTING %d\n",
            strcmp(b->shutdown, "semihosting") == 0);
    fprintf(f, "\n#endif\n");
    return close_tmp(f, tmp, path, err, errlen);
}
