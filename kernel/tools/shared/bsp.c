#include "bsp.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "layout.h"
#include "process.h"
#include "yamldoc.h"

static const char *const console_drivers[] = {"cmsdk-uart", "stm32-usart", "stm32-usart-v2",
                                              "nrf-uarte",  "pl011",       "semihosting"};

#define STR_FIELD(fn, member) YDOC_STR_FIELD(fn, struct bsp, member)
#define U32_FIELD(fn, member) YDOC_U32_FIELD(fn, struct bsp, member, 0, 0xffffffffu)
#define MAP_FIELD(fn, ...)    YDOC_MAP_FIELD(fn, __VA_ARGS__)

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
U32_FIELD(f_flash_erase, flash_erase_size)
U32_FIELD(f_ram_base, ram_base)
U32_FIELD(f_ram_size, ram_size)
U32_FIELD(f_console_base, console_base)
U32_FIELD(f_console_baud, console_baud)
U32_FIELD(f_console_clock, console_clock_hz)
U32_FIELD(f_qemu_serial, qemu_serial)
U32_FIELD(f_qemu_storage_base, qemu_storage_base)
U32_FIELD(f_qemu_storage_size, qemu_storage_size)
U32_FIELD(f_boot_size, boot_size)

static int f_mpu_arch(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    if (mpu_arch_parse(ydoc_scalar(v), &((struct bsp *)o)->mpu_arch) != 0) {
        return ydoc_fail(d, v, e, "'%s' must be armv6m, armv7m or armv8m", k);
    }
    return 0;
}

MAP_FIELD(f_mpu, {"arch", true, f_mpu_arch}, {"regions", true, f_regions})
static int f_flash_driver(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e);
MAP_FIELD(f_flash, {"base", true, f_flash_base}, {"size", true, f_flash_size},
          {"driver", false, f_flash_driver}, {"erase_size", false, f_flash_erase})
MAP_FIELD(f_ram, {"base", true, f_ram_base}, {"size", true, f_ram_size})
MAP_FIELD(f_memory, {"flash", true, f_flash}, {"ram", true, f_ram})
MAP_FIELD(f_qemu_storage, {"base", true, f_qemu_storage_base}, {"size", true, f_qemu_storage_size})
MAP_FIELD(f_qemu, {"machine", true, f_qemu_machine}, {"serial", false, f_qemu_serial},
          {"storage", false, f_qemu_storage})
MAP_FIELD(f_pyocd, {"target", true, f_pyocd_target})

static int f_console_irqs(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    struct bsp *b = o;
    long n = ydoc_seq(d, v, k, "a list of interrupt numbers", 0, 4, e);
    for (b->n_console_irqs = 0; n >= 0 && b->n_console_irqs < (size_t)n; b->n_console_irqs++) {
        if (ydoc_u32(d, ydoc_item(d, v, b->n_console_irqs), k, 0, LIMIT_IRQ_LINES - 1,
                     &b->console_irqs[b->n_console_irqs], e) != 0) {
            return -1;
        }
    }
    return n < 0 ? -1 : 0;
}

MAP_FIELD(f_console, {"driver", true, f_console_driver}, {"base", false, f_console_base},
          {"baud", false, f_console_baud}, {"clock_hz", false, f_console_clock},
          {"irqs", false, f_console_irqs})

/* True if s ends with suffix. */
static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* A file of the BSP, named relative to its folder; @p rule says so in errors. */
static int get_file(struct ydoc *d, yaml_node_t *n, const char *rule, char **out, struct err *e)
{
    const char *s = ydoc_scalar(n);
    if (s == NULL || !path_is_safe_relative(s)) {
        return ydoc_fail(d, n, e, "%s inside the BSP folder", rule);
    }
    if (path_is_cmake_unsafe(s)) {
        ydoc_fail(d, n, e,
                  "'%s' holds a ';', '$' or line break, which CMake reads as a list "
                  "or an expression",
                  s);
        return err_hint(e, "name the BSP's files with plain characters");
    }
    *out = xstrdup(s);
    return 0;
}

static int f_sources(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    struct bsp *b = o;
    long n = ydoc_seq(d, v, k, "a list of file names", 0, BSP_MAX_SOURCES, e);
    for (b->n_sources = 0; n >= 0 && b->n_sources < (size_t)n; b->n_sources++) {
        if (get_file(d, ydoc_item(d, v, b->n_sources), "'sources' entries must be file names",
                     &b->sources[b->n_sources], e) != 0) {
            return -1;
        }
    }
    return n < 0 ? -1 : 0;
}

static int f_boot_source(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    (void)k;
    return get_file(d, v, "'boot.source' must be a file name", &((struct bsp *)o)->boot_source, e);
}

/* memory.flash.driver: a kernel driver's name, or a file of the BSP. */
static int f_flash_driver(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    (void)k;
    return get_file(d, v, "'memory.flash.driver' must be sram, board or a file name",
                    &((struct bsp *)o)->flash_driver, e);
}

static int f_storage_driver(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    (void)k;
    return get_file(d, v, "'storage.driver' must be a file name",
                    &((struct bsp *)o)->storage_driver, e);
}

U32_FIELD(f_storage_base, storage_base)
U32_FIELD(f_storage_size, storage_size)
U32_FIELD(f_storage_ctl_base, storage_ctl_base)
U32_FIELD(f_storage_ctl_size, storage_ctl_size)
MAP_FIELD(f_storage_ctl, {"base", true, f_storage_ctl_base}, {"size", true, f_storage_ctl_size})
MAP_FIELD(f_storage, {"driver", true, f_storage_driver}, {"base", true, f_storage_base},
          {"size", true, f_storage_size}, {"controller", false, f_storage_ctl})

static int f_boot_run_at(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    struct bsp *b = o;
    b->boot_run_at_given = true;
    return ydoc_u32(d, v, k, 0, 0xffffffffu, &b->boot_run_at, e);
}

static int f_boot_checksum(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    const char *s = ydoc_scalar(v);
    if (s == NULL || boot_checksum_parse(s, &((struct bsp *)o)->boot_checksum) != 0) {
        return ydoc_fail(d, v, e, "'%s' must be none or crc32-mpeg2 (the RP2040 boot ROM's CRC-32)",
                         k);
    }
    return 0;
}

static int f_boot(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    static const struct ydoc_field f[] = {{"source", true, f_boot_source},
                                          {"size", true, f_boot_size},
                                          {"run_at", false, f_boot_run_at},
                                          {"checksum", false, f_boot_checksum}};
    struct bsp *b = o;
    if (ydoc_walk(d, v, k, f, 4, b, e) != 0) {
        return -1;
    }
    uint32_t least = 4u + boot_checksum_size(b->boot_checksum);
    if (b->boot_size < least || b->boot_size > BOOT_MAX_SIZE || b->boot_size % 4u != 0) {
        return ydoc_fail(d, v, e,
                         "'boot.size' must be a multiple of 4 from %u (room for code%s) to %u "
                         "bytes, not %u",
                         least, b->boot_checksum == BOOT_CHECKSUM_NONE ? "" : " and the checksum",
                         BOOT_MAX_SIZE, b->boot_size);
    }
    return 0;
}

/* The value of a key of the file (a.b for a nested one), for the line of an error. */
static yaml_node_t *at(struct ydoc *d, const char *key)
{
    char buf[64];
    snprintf(buf, sizeof(buf), "%s", key);
    char *dot = strchr(buf, '.');
    if (dot != NULL) {
        *dot = '\0';
    }
    yaml_node_t *n = ydoc_map_get(d, ydoc_root(d), buf, NULL);
    return dot != NULL && n != NULL ? ydoc_map_get(d, n, dot + 1, NULL) : n;
}

bool bsp_peripheral_name_valid(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > BSP_PERIPH_NAME_MAX || s[0] < 'a' || s[0] > 'z') {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        if (!islower((unsigned char)s[i]) && !isdigit((unsigned char)s[i]) && s[i] != '_') {
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

/* The fields of one peripheral; ydoc_walk() gets the peripheral as its object. */
static int q_driver(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    struct bsp_peripheral *p = o;
    if (ydoc_str(d, v, k, &p->driver, e) != 0) {
        return -1;
    }
    /* The driver name selects code in CMake and C: keep it to a plain word. */
    for (const char *c = p->driver; *c != '\0'; c++) {
        if (!islower((unsigned char)*c) && !isdigit((unsigned char)*c) && *c != '-' && *c != '_') {
            return ydoc_fail(d, v, e,
                             "'%s' is '%s'; it must be lower-case letters, digits, '-' "
                             "and '_'",
                             k, p->driver);
        }
    }
    return 0;
}

YDOC_U32_FIELD(q_base, struct bsp_peripheral, base, 0, 0xffffffffu)
YDOC_U32_FIELD(q_size, struct bsp_peripheral, size, LIMIT_MMIO_MIN, 0xffffffffu)
YDOC_U32_FIELD(q_clock, struct bsp_peripheral, clock_hz, 1, 0xffffffffu)
YDOC_U32_FIELD(q_qemu_serial, struct bsp_peripheral, qemu_serial, 0, BSP_QEMU_SERIAL_MAX)

static int q_irq(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    struct bsp_peripheral *p = o;
    if (p->n_irqs != 0) {
        return ydoc_fail(d, v, e, "'%s': give 'irq' or 'irqs', not both", k);
    }
    p->n_irqs = 1;
    return ydoc_u32(d, v, k, 0, LIMIT_IRQ_LINES - 1, &p->irqs[0], e);
}

static int q_irqs(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    struct bsp_peripheral *p = o;
    if (p->n_irqs != 0) {
        return ydoc_fail(d, v, e, "'%s': give 'irq' or 'irqs', not both", k);
    }
    long n = ydoc_seq(d, v, k, "a list of interrupt numbers", 1, BSP_MAX_PERIPH_IRQS, e);
    for (p->n_irqs = 0; n >= 0 && p->n_irqs < (size_t)n; p->n_irqs++) {
        if (ydoc_u32(d, ydoc_item(d, v, p->n_irqs), k, 0, LIMIT_IRQ_LINES - 1, &p->irqs[p->n_irqs],
                     e) != 0) {
            return -1;
        }
    }
    return n < 0 ? -1 : 0;
}

static int q_reserved(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    struct bsp_peripheral *p = o;
    long n = ydoc_seq(d, v, k, "a list of line numbers", 1, BSP_MAX_PERIPH_RESERVED, e);
    for (p->n_reserved = 0; n >= 0 && p->n_reserved < (size_t)n; p->n_reserved++) {
        if (ydoc_u32(d, ydoc_item(d, v, p->n_reserved), k, 0, 65535, &p->reserved[p->n_reserved],
                     e) != 0) {
            return -1;
        }
    }
    return n < 0 ? -1 : 0;
}

/* `peripherals:` maps names to {driver, base, size, irq | irqs}. */
static int f_peripherals(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    static const struct ydoc_field f[] = {
        {"driver", true, q_driver},     {"base", true, q_base},  {"size", true, q_size},
        {"irq", false, q_irq},          {"irqs", false, q_irqs}, {"clock_hz", false, q_clock},
        {"reserved", false, q_reserved}, {"qemu_serial", false, q_qemu_serial}};
    struct bsp *b = o;
    if (ydoc_is_null(v)) {
        return 0;
    }
    if (v->type != YAML_MAPPING_NODE) {
        ydoc_fail(d, v, e, "'%s' must map peripheral names to {driver, base, size, irq}", k);
        return err_hint(e, "e.g.\n  peripherals:\n    eth0: { driver: lan9118, base: 0x40200000, "
                           "size: 0x100, irq: 13 }");
    }
    for (yaml_node_pair_t *p = v->data.mapping.pairs.start; p < v->data.mapping.pairs.top; p++) {
        yaml_node_t *kn = ydoc_node(d, p->key);
        const char *name = ydoc_scalar(kn);
        if (name == NULL || !bsp_peripheral_name_valid(name)) {
            return ydoc_fail(d, kn, e,
                             "peripheral name '%s' must be a lower-case C identifier of at most "
                             "%d characters (eth0, timer0, uart1)",
                             name ? name : "?", BSP_PERIPH_NAME_MAX);
        }
        if (bsp_peripheral(b, name) != NULL) {
            return ydoc_fail(d, kn, e, "peripheral '%s' appears twice", name);
        }
        if (b->n_peripherals == BSP_MAX_PERIPHERALS) {
            return ydoc_fail(d, kn, e, "'%s' names more than %d peripherals", k,
                             BSP_MAX_PERIPHERALS);
        }
        struct bsp_peripheral *q = &b->peripherals[b->n_peripherals++];
        q->name = xstrdup(name);
        q->line = ydoc_line(kn);
        q->qemu_serial = BSP_NO_QEMU_SERIAL;
        char *where = xasprintf("%s.%s", k, name);
        int rc = ydoc_walk(d, ydoc_node(d, p->value), where, f, sizeof(f) / sizeof(f[0]), q, e);
        free(where);
        if (rc != 0) {
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
static int check_peripherals(struct ydoc *d, const struct bsp *b, struct err *e)
{
    yaml_node_t *list = at(d, "peripherals");
    for (size_t i = 0; i < b->n_peripherals; i++) {
        const struct bsp_peripheral *p = &b->peripherals[i];
        yaml_node_t *n = ydoc_map_get(d, list, p->name, NULL);
        struct region_shape shape;
        if (ranges_overlap(p->base, p->size, b->flash_base, b->flash_size) ||
            ranges_overlap(p->base, p->size, b->ram_base, b->ram_size)) {
            return ydoc_fail(
                d, n, e,
                "peripheral '%s' (0x%08x+0x%x) overlaps the board's %s; a "
                "peripheral is device memory a process is granted",
                p->name, p->base, p->size,
                ranges_overlap(p->base, p->size, b->flash_base, b->flash_size) ? "flash" : "RAM");
        }
        if (layout_fixed_region(b->mpu_arch, p->base, p->size, &shape, e) != 0) {
            char why[sizeof(e->msg)];
            snprintf(why, sizeof(why), "%s", e->msg);
            return ydoc_fail(d, n, e, "peripheral '%s': %s", p->name, why);
        }
        for (size_t k = 0; k < p->n_irqs; k++) {
            if (p->irqs[k] >= b->irqs) {
                return ydoc_fail(d, n, e,
                                 "peripheral '%s': interrupt %u is beyond the board's %u (irqs)",
                                 p->name, p->irqs[k], b->irqs);
            }
        }
        if (p->qemu_serial != BSP_NO_QEMU_SERIAL && b->qemu_machine == NULL) {
            return ydoc_fail(d, n, e, "peripheral '%s': qemu_serial, but the board has no 'qemu' "
                                      "machine", p->name);
        }
        if (p->qemu_serial != BSP_NO_QEMU_SERIAL && p->qemu_serial == b->qemu_serial) {
            return ydoc_fail(d, n, e,
                             "peripheral '%s': QEMU serial port %u is the console's (qemu.serial)",
                             p->name, p->qemu_serial);
        }
        for (size_t j = 0; j < i; j++) {
            const struct bsp_peripheral *q = &b->peripherals[j];
            if (ranges_overlap(p->base, p->size, q->base, q->size)) {
                return ydoc_fail(d, n, e, "peripherals '%s' and '%s' overlap", q->name, p->name);
            }
            if (p->qemu_serial != BSP_NO_QEMU_SERIAL && p->qemu_serial == q->qemu_serial) {
                return ydoc_fail(d, n, e, "peripherals '%s' and '%s' have the same qemu_serial %u",
                                 q->name, p->name, p->qemu_serial);
            }
        }
    }
    return 0;
}

bool bsp_flash_is_ram(const struct bsp *b)
{
    return b->flash_driver != NULL && strcmp(b->flash_driver, "sram") == 0;
}

/* memory.flash.driver writes process slots (docs/bsp.md, Flash drivers):
 * "sram", the kernel's, for flash that is RAM (emulated boards); "board",
 * the BSP's own kernel sources define bsp_flash_erase() and
 * bsp_flash_program(); or a file of the BSP implementing flash_hw.h, which
 * the kernel runs (kernel/drivers/flash_bsp.c). erase_size, the unit the
 * slots and the commit log are made of, comes with it (256 for "sram"
 * unless given). */
static int check_flash_driver(struct ydoc *d, struct bsp *b, struct err *e)
{
    uint32_t u = b->flash_erase_size;
    if (b->flash_driver == NULL) {
        return u == 0 ? 0
                      : ydoc_fail(d, at(d, "memory.flash.erase_size"), e,
                                  "memory.flash.erase_size is for a board with a flash driver "
                                  "(memory.flash.driver)");
    }
    if (u == 0 && bsp_flash_is_ram(b)) {
        u = b->flash_erase_size = 256u; /* RAM: any unit; the smallest the slots allow */
    }
    if (!bsp_flash_is_ram(b) && strcmp(b->flash_driver, "board") != 0 &&
        !ends_with(b->flash_driver, ".c")) {
        return ydoc_fail(d, at(d, "memory.flash.driver"), e,
                         "memory.flash.driver '%s' is unknown (sram, board, or a .c file of the "
                         "BSP implementing flash_hw.h)",
                         b->flash_driver);
    }
    if (u < 256u || (u & (u - 1u)) != 0 || u > b->flash_size / 4u ||
        (b->flash_base + b->flash_size) % u != 0) {
        return ydoc_fail(d, at(d, "memory.flash"), e,
                         "memory.flash.erase_size must be given with a driver: a power of two "
                         "from 256 bytes to a quarter of the flash, whose end it divides");
    }
    return 0;
}

/* What starts flash: the vector table, or the boot header and the vector
 * table after it; either way VTOR must be able to point at the table. */
static int check_flash_start(struct ydoc *d, struct bsp *b, struct err *e)
{
    uint32_t vectors = 16u + b->irqs;
    uint32_t align = boot_vector_align(b->mpu_arch, vectors);
    uint32_t table = b->flash_base + b->boot_size;
    if (b->boot_source == NULL) {
        if (table % align != 0) {
            return ydoc_fail(d, at(d, "memory"), e,
                             "memory.flash.base 0x%08x cannot start with the vector table: VTOR "
                             "needs a %u-byte boundary for %u vectors on %s",
                             table, align, vectors, mpu_arch_name(b->mpu_arch));
        }
        return 0;
    }
    if (b->boot_size >= b->flash_size) {
        return ydoc_fail(d, at(d, "boot"), e,
                         "'boot.size' %u leaves no flash for the firmware (%u bytes)", b->boot_size,
                         b->flash_size);
    }
    if (table % align != 0) {
        return ydoc_fail(d, at(d, "boot"), e,
                         "'boot.size' %u puts the vector table at 0x%08x, but VTOR needs a "
                         "%u-byte boundary for %u vectors on %s; make boot.size a multiple of %u",
                         b->boot_size, table, align, vectors, mpu_arch_name(b->mpu_arch), align);
    }
    if (!b->boot_run_at_given) {
        b->boot_run_at = b->flash_base;
    }
    return 0;
}

/* A value cmrx-sdk writes into CMake strings: letters, digits, '.', '-',
 * '_' and '+' only, so that none can close its string and become code. */
static bool plain_word(const char *s)
{
    if (s == NULL || *s == '\0') {
        return false;
    }
    for (; *s; s++) {
        if (!isalnum((unsigned char)*s) && strchr(".-_+", *s) == NULL) {
            return false;
        }
    }
    return true;
}

static int check_words(struct ydoc *d, struct bsp *b, struct err *e)
{
    /* The name is also written into C (a string and a comment). */
    if (!name_is_valid(b->name)) {
        return ydoc_fail(d, at(d, "name"), e,
                         "'name' is '%s'; board names are package names (lower-case letters, "
                         "digits, '-', '_', '.')",
                         b->name);
    }
    if (!plain_word(b->version)) {
        return ydoc_fail(d, at(d, "version"), e,
                         "'version' is '%s'; it must be a version such as 1.2.0 (letters, "
                         "digits, '.', '-', '+')",
                         b->version);
    }
    const char *const words[][2] = {{"qemu.machine", b->qemu_machine},
                                    {"pyocd.target", b->pyocd_target}};
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
        if (words[i][1] != NULL && !plain_word(words[i][1])) {
            return ydoc_fail(d, at(d, i == 0 ? "qemu" : "pyocd"), e,
                             "'%s' is '%s'; it must be a plain name (letters, digits, '.', '-', "
                             "'_', '+')",
                             words[i][0], words[i][1]);
        }
    }
    return 0;
}

static int check(struct ydoc *d, struct bsp *b, struct err *e)
{
    if (check_words(d, b, e) != 0) {
        return -1;
    }
    const struct cpu_info *ci = cpu_find(b->cpu);
    if (ci == NULL) {
        return ydoc_fail(d, at(d, "cpu"), e, "unknown cpu '%s' (supported: %s)", b->cpu,
                         cpu_list());
    }
    if (b->fpu == NULL) {
        b->fpu = xstrdup("none");
    }
    if (!cpu_has_fpu(ci, b->fpu)) {
        ydoc_fail(d, at(d, "fpu"), e, "fpu '%s' is not available on %s", b->fpu, b->cpu);
        char *list = NULL;
        for (size_t i = 0; ci->fpus[i] != NULL; i++) {
            list_add(&list, ci->fpus[i]);
        }
        err_hint(e, "choose from: %s", list);
        free(list);
        return -1;
    }
    if (ci->mpu != b->mpu_arch) {
        return ydoc_fail(d, at(d, "mpu.arch"), e, "mpu.arch '%s' does not match cpu %s (it has %s)",
                         mpu_arch_name(b->mpu_arch), b->cpu, mpu_arch_name(ci->mpu));
    }
    if (b->mpu_regions < LIMIT_MPU_REGIONS_MIN || b->mpu_regions > LIMIT_MPU_REGIONS_MAX) {
        return ydoc_fail(d, at(d, "mpu.regions"), e, "mpu.regions must be %u..%u; CMRX needs %u",
                         LIMIT_MPU_REGIONS_MIN, LIMIT_MPU_REGIONS_MAX, LIMIT_MPU_REGIONS_MIN);
    }
    if (b->irqs > LIMIT_IRQ_LINES) {
        return ydoc_fail(d, at(d, "irqs"), e, "irqs must be at most %u", LIMIT_IRQ_LINES);
    }
    if (b->clock_hz < 1000000 || b->clock_hz % 1000u != 0) {
        return ydoc_fail(d, at(d, "clock_hz"), e,
                         "clock_hz must be a whole number of kHz, at least 1 MHz");
    }
    size_t nd = sizeof(console_drivers) / sizeof(console_drivers[0]);
    size_t i;
    for (i = 0; i < nd && strcmp(console_drivers[i], b->console_driver) != 0; i++) {
    }
    if (i == nd) {
        return ydoc_fail(d, at(d, "console.driver"), e,
                         "console.driver '%s' is unknown (cmsdk-uart, stm32-usart, stm32-usart-v2, "
                         "nrf-uarte, pl011, semihosting)",
                         b->console_driver);
    }
    if (check_flash_driver(d, b, e) != 0) {
        return -1;
    }
    if (strcmp(b->console_driver, "semihosting") != 0 && b->console_base == 0) {
        return ydoc_fail(d, at(d, "console"), e, "console.base is required for driver %s",
                         b->console_driver);
    }
    for (i = 0; i < b->n_console_irqs; i++) {
        if (b->console_irqs[i] >= b->irqs) {
            return ydoc_fail(d, at(d, "console.irqs"), e,
                             "console.irqs: interrupt %u is beyond the board's %u (irqs)",
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
        return ydoc_fail(d, at(d, "console"), e,
                         "console.clock_hz %u is too slow for console.baud %u (a UART needs 16 "
                         "clock cycles per bit)",
                         b->console_clock_hz, b->console_baud);
    }
    /* QEMU's serial ports are numbered by the order of -serial options. */
    if (b->qemu_serial > BSP_QEMU_SERIAL_MAX) {
        return ydoc_fail(d, at(d, "qemu.serial"), e, "qemu.serial must be 0..%u, not %u",
                         BSP_QEMU_SERIAL_MAX, b->qemu_serial);
    }
    if (b->qemu_storage_size != 0 &&
        ((uint64_t)b->qemu_storage_base + b->qemu_storage_size > 0x100000000ull ||
         b->qemu_storage_size % 4096u != 0)) {
        return ydoc_fail(d, at(d, "qemu.storage"), e,
                         "qemu.storage must lie below 4 GiB and be a whole number of 4 KiB");
    }
    if (b->storage_driver != NULL) {
        uint64_t s0 = b->storage_base, s1 = s0 + b->storage_size;
        uint64_t f0 = b->flash_base, f1 = f0 + b->flash_size;
        if (b->storage_size == 0 || s1 > 0x100000000ull ||
            (uint64_t)b->storage_ctl_base + b->storage_ctl_size > 0x100000000ull) {
            return ydoc_fail(d, at(d, "storage"), e,
                             "storage and storage.controller must lie below 4 GiB, not empty");
        }
        if (s0 < f1 && f0 < s1) {
            return ydoc_fail(d, at(d, "storage"), e,
                             "storage (0x%08x, %u bytes) overlaps memory.flash, where the firmware "
                             "goes: make memory.flash end where storage begins",
                             b->storage_base, b->storage_size);
        }
    }
    if (strcmp(b->shutdown, "semihosting") != 0 && strcmp(b->shutdown, "reset") != 0) {
        return ydoc_fail(d, at(d, "shutdown"), e,
                         "shutdown must be 'semihosting' or 'reset', not '%s'", b->shutdown);
    }
    if ((uint64_t)b->flash_base + b->flash_size > 0x100000000ull ||
        (uint64_t)b->ram_base + b->ram_size > 0x100000000ull) {
        return ydoc_fail(d, at(d, "memory"), e, "memory regions must lie below 4 GiB");
    }
    if (check_peripherals(d, b, e) != 0) {
        return -1;
    }
    return check_flash_start(d, b, e);
}

int bsp_load(const char *path, struct bsp *out, struct err *e)
{
    return bsp_load_as(path, path, out, e);
}

int bsp_load_as(const char *path, const char *shown, struct bsp *out, struct err *e)
{
    char *text;
    size_t len;
    memset(out, 0, sizeof(*out));
    if (read_file(path, &text, &len, e) != 0) {
        return -1;
    }
    int rc = bsp_parse(shown, text, len, out, e);
    free(text);
    return rc;
}

int bsp_parse(const char *path, const char *text, size_t len, struct bsp *out, struct err *e)
{
    static const struct ydoc_field top[] = {
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
        {"storage", false, f_storage},
    };
    struct ydoc d;
    memset(out, 0, sizeof(*out));
    int rc = ydoc_load(&d, path, text, len, e);
    if (rc != 0) {
        return -1;
    }
    rc = ydoc_root(&d) == NULL
             ? err_set(e, "%s: the file is empty", path)
             : ydoc_walk(&d, ydoc_root(&d), "", top, sizeof(top) / sizeof(top[0]), out, e);
    if (rc == 0) {
        rc = check(&d, out, e);
    }
    ydoc_free(&d);
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
    free(b->flash_driver);
    free(b->shutdown);
    free(b->qemu_machine);
    free(b->storage_driver);
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

/* A peripheral's name as it appears in macro and variable names. */
static void upper_name(char up[BSP_PERIPH_NAME_MAX + 1], const char *name)
{
    size_t n = 0;
    for (; name[n] != '\0' && n < BSP_PERIPH_NAME_MAX; n++) {
        up[n] = (char)toupper((unsigned char)name[n]);
    }
    up[n] = '\0';
}

/* "DIR/FILE" as a CMake quoted argument: '"', '\\' and '$' escaped, and a
 * line break written as \\n (the folder is the project's, any name). */
static void cmake_path(FILE *f, const char *dir, const char *file)
{
    fputc('"', f);
    for (const char *parts[] = {dir, "/", file}, **p = parts; p < parts + 3; p++) {
        for (const char *c = *p; *c; c++) {
            if (*c == '\n') {
                fputs("\\n", f);
                continue;
            }
            if (*c == '"' || *c == '\\' || *c == '$') {
                fputc('\\', f);
            }
            fputc(*c, f);
        }
    }
    fputc('"', f);
}

int bsp_write_cmake(const struct bsp *b, const char *bsp_dir, const char *path, struct err *e)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = xmemstream(&text, &len);
    fputs("# Generated by cmrx-sdk from ", f);
    cmake_path(f, bsp_dir, "bsp.yaml");
    fputs(". Do not edit.\n", f);
    fprintf(f, "set(CMRX_BSP_NAME \"%s\")\n", b->name);
    fprintf(f, "set(CMRX_BSP_VERSION \"%s\")\n", b->version);
    fprintf(f, "set(CMRX_BSP_CPU \"%s\")\n", b->cpu);
    fprintf(f, "set(CMRX_BSP_FPU \"%s\")\n", b->fpu);
    if (b->mpu_arch == MPU_SIM) { /* the host's own compiler, as it is */
        fprintf(f, "set(CMRX_BSP_CPU_FLAGS)\n");
    } else {
        fprintf(f, "set(CMRX_BSP_CPU_FLAGS -mthumb -mcpu=%s %s)\n", b->cpu, fpu_flags(b->fpu));
    }
    fprintf(f, "set(CMRX_BSP_MPU_ARCH \"%s\")\n", mpu_arch_name(b->mpu_arch));
    fprintf(f, "set(CMRX_BSP_MPU_REGIONS %u)\n", b->mpu_regions);
    fprintf(f, "set(CMRX_BSP_IRQS %u)\n", b->irqs);
    fprintf(f, "set(CMRX_BSP_FLASH_BASE 0x%08x)\n", b->flash_base);
    fprintf(f, "set(CMRX_BSP_FLASH_SIZE %u)\n", b->flash_size);
    fprintf(f, "set(CMRX_BSP_FLASH_DRIVER \"%s\")\n", b->flash_driver ? b->flash_driver : "");
    fprintf(f, "set(CMRX_BSP_FLASH_ERASE_SIZE %u)\n", b->flash_erase_size);
    if (b->flash_driver != NULL && ends_with(b->flash_driver, ".c")) {
        fputs("set(CMRX_BSP_FLASH_HW ", f);
        cmake_path(f, bsp_dir, b->flash_driver);
        fputs(")\n", f);
    } else {
        fprintf(f, "set(CMRX_BSP_FLASH_HW \"\")\n");
    }
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
    fprintf(f, "set(CMRX_BSP_QEMU_STORAGE_BASE 0x%08x)\n", b->qemu_storage_base);
    fprintf(f, "set(CMRX_BSP_QEMU_STORAGE_SIZE %u)\n", b->qemu_storage_size);
    fprintf(f, "set(CMRX_BSP_PYOCD_TARGET \"%s\")\n", b->pyocd_target ? b->pyocd_target : "");
    fprintf(f, "set(CMRX_BSP_SOURCES");
    for (size_t i = 0; i < b->n_sources; i++) {
        fputc(' ', f);
        cmake_path(f, bsp_dir, b->sources[i]);
    }
    fprintf(f, ")\n");
    if (b->boot_source != NULL) {
        fputs("set(CMRX_BSP_BOOT_SOURCE ", f);
        cmake_path(f, bsp_dir, b->boot_source);
        fputs(")\n", f);
    } else {
        fprintf(f, "set(CMRX_BSP_BOOT_SOURCE \"\")\n");
    }
    if (b->storage_driver != NULL) {
        fputs("set(CMRX_BSP_STORAGE_DRIVER ", f);
        cmake_path(f, bsp_dir, b->storage_driver);
        fputs(")\n", f);
    } else {
        fprintf(f, "set(CMRX_BSP_STORAGE_DRIVER \"\")\n");
    }
    fprintf(f, "set(CMRX_BSP_STORAGE_BASE 0x%08x)\n", b->storage_base);
    fprintf(f, "set(CMRX_BSP_STORAGE_SIZE %u)\n", b->storage_size);
    fprintf(f, "set(CMRX_BSP_STORAGE_CONTROLLER_BASE 0x%08x)\n", b->storage_ctl_base);
    fprintf(f, "set(CMRX_BSP_STORAGE_CONTROLLER_SIZE %u)\n", b->storage_ctl_size);
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
        upper_name(up, p->name);
        fprintf(f, "set(CMRX_BSP_PERIPH_%s_DRIVER \"%s\")\n", up, p->driver);
        fprintf(f, "set(CMRX_BSP_PERIPH_%s_BASE 0x%08x)\n", up, p->base);
        fprintf(f, "set(CMRX_BSP_PERIPH_%s_SIZE 0x%x)\n", up, p->size);
        fprintf(f, "set(CMRX_BSP_PERIPH_%s_CLOCK_HZ %u)\n", up,
                p->clock_hz != 0 ? p->clock_hz : b->clock_hz);
        fprintf(f, "set(CMRX_BSP_PERIPH_%s_RESERVED", up);
        for (size_t k = 0; k < p->n_reserved; k++) {
            fprintf(f, " %u", p->reserved[k]);
        }
        fprintf(f, ")\n");
        fprintf(f, "set(CMRX_BSP_PERIPH_%s_IRQS", up);
        for (size_t k = 0; k < p->n_irqs; k++) {
            fprintf(f, " %u", p->irqs[k]);
        }
        fprintf(f, ")\n");
    }
    /* The numbers cmrx_add_process() takes, from limits.h: its arguments are
     * the keys in upper case. */
    fprintf(f, "set(CMRX_PROCESS_NUMBERS");
    for (size_t i = 0; i < PROCESS_NUMBERS; i++) {
        fputc(' ', f);
        for (const char *c = process_numbers[i].key; *c; c++) {
            fputc(toupper((unsigned char)*c), f);
        }
    }
    fprintf(f, ")\n");
    fclose(f);
    int rc = write_file_atomic(path, text, len, e);
    free(text);
    return rc;
}

int bsp_write_header(const struct bsp *b, const char *path, struct err *e)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = xmemstream(&text, &len);
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
    fprintf(f, "#define CMRX_BSP_FLASH_DRIVER %d /* bsp_flash_erase(), _program() write flash */\n",
            b->flash_driver != NULL);
    fprintf(f, "#define CMRX_BSP_FLASH_ERASE_SIZE %uu\n", b->flash_erase_size);
    fprintf(f, "#define CMRX_BSP_SHUTDOWN_SEMIHOSTING %d\n",
            strcmp(b->shutdown, "semihosting") == 0);
    /* The storage flash, for a board whose kernel programs it (cmrx_flash_op). */
    fprintf(f, "#define CMRX_BSP_STORAGE_BASE 0x%08xu\n", b->storage_base);
    fprintf(f, "#define CMRX_BSP_STORAGE_SIZE %uu\n", b->storage_size);
    /* Each peripheral's base, for the board's code that clocks it and
     * routes its pins. */
    for (size_t i = 0; i < b->n_peripherals; i++) {
        char up[BSP_PERIPH_NAME_MAX + 1];
        upper_name(up, b->peripherals[i].name);
        fprintf(f, "#define CMRX_BSP_PERIPH_%s_BASE 0x%08xu\n", up, b->peripherals[i].base);
    }
    fprintf(f, "\n#endif\n");
    fclose(f);
    int rc = write_file_atomic(path, text, len, e);
    free(text);
    return rc;
}
