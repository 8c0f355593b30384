#include "process.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bsp.h"
#include "fsutil.h"

const struct process_number process_numbers[] = {
#define X(key, min, max, def, step)                                                                \
    {#key, offsetof(struct process_decl, key), PROC_GIVEN(key), min, max, def, step},
    LIMIT_PROCESS_NUMBERS(X)
#undef X
};
const size_t PROCESS_NUMBERS = sizeof(process_numbers) / sizeof(process_numbers[0]);

uint32_t process_number(const struct process_decl *p, const struct process_number *n)
{
    return *(const uint32_t *)((const char *)p + n->offset);
}

bool process_name_valid(const char *s)
{
    if (s == NULL || !(isalpha((unsigned char)*s) || *s == '_') || strlen(s) > LIMIT_PROCESS_NAME) {
        return false;
    }
    for (; *s; s++) {
        if (!isalnum((unsigned char)*s) && *s != '_') {
            return false;
        }
    }
    return true;
}

static int p_name(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    struct process_decl *p = o;
    if (ydoc_str(d, v, k, &p->name, e) != 0) {
        return -1;
    }
    if (!process_name_valid(p->name)) {
        return ydoc_fail(d, v, e,
                         "'%s' is '%s'; a process name is a C identifier of at most %u "
                         "characters",
                         k, p->name, LIMIT_PROCESS_NAME);
    }
    return 0;
}

int process_path_list(struct ydoc *d, yaml_node_t *v, const char *k, char ***out, size_t *n,
                      struct err *e)
{
    if (ydoc_str_list(d, v, k, out, n, e) != 0) {
        return -1;
    }
    for (size_t i = 0; i < *n; i++) {
        if (!path_is_safe_relative((*out)[i])) {
            ydoc_fail(d, v, e, "'%s': '%s' is not a path inside the project", k, (*out)[i]);
            return err_hint(e, "write paths relative to the folder of cmrx.yaml, without '..' "
                               "and not starting with '/'");
        }
        if (path_is_cmake_unsafe((*out)[i])) {
            ydoc_fail(d, v, e,
                      "'%s': '%s' holds a ';', '$' or line break, which CMake reads as a "
                      "list or an expression",
                      k, (*out)[i]);
            return err_hint(e, "rename the file to a name without them");
        }
    }
    return 0;
}

static int p_sources(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    struct process_decl *p = o;
    if (process_path_list(d, v, k, &p->sources, &p->n_sources, e) != 0) {
        return -1;
    }
    return p->n_sources ? 0 : ydoc_fail(d, v, e, "'%s' must list at least one source file", k);
}

static int p_include_dirs(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    struct process_decl *p = o;
    return process_path_list(d, v, k, &p->include_dirs, &p->n_include_dirs, e);
}

int process_flag_list(struct ydoc *d, yaml_node_t *v, const char *k, bool flags, char ***out,
                      size_t *n, struct err *e)
{
    static const char *const board_owns[] = {"-mcpu",       "-march",  "-mfpu",
                                             "-mfloat-abi", "-mthumb", "-marm"};
    if (ydoc_str_list(d, v, k, out, n, e) != 0) {
        return err_hint(e,
                        flags ? "e.g. cflags: [-O2, -Wshadow]" : "e.g. defines: [DEBUG, RATE=10]");
    }
    for (size_t i = 0; i < *n; i++) {
        const char *s = (*out)[i];
        /* CMake lists split at ';'; a line break would end the generated call. */
        if (strpbrk(s, ";\n\r") != NULL) {
            return ydoc_fail(d, v, e, "'%s[%zu]' holds a ';' or a line break", k, i);
        }
        if (flags) {
            if (s[0] != '-') {
                ydoc_fail(d, v, e, "'%s[%zu]' is '%s', not a compiler option", k, i, s);
                return err_hint(e, "options start with '-'; sources go under 'sources:', "
                                   "definitions under 'defines:'");
            }
            for (size_t j = 0; j < sizeof(board_owns) / sizeof(board_owns[0]); j++) {
                size_t l = strlen(board_owns[j]);
                if (strncmp(s, board_owns[j], l) == 0 && (s[l] == '\0' || s[l] == '=')) {
                    ydoc_fail(d, v, e, "'%s[%zu]': %s is chosen by the board (its CPU and FPU)", k,
                              i, s);
                    return err_hint(e, "choose another board with 'board:' in cmrx.yaml");
                }
            }
            continue;
        }
        size_t id = strcspn(s, "=");
        bool ok = id > 0 && (isalpha((unsigned char)s[0]) || s[0] == '_');
        for (size_t j = 1; ok && j < id; j++) {
            ok = isalnum((unsigned char)s[j]) || s[j] == '_';
        }
        if (!ok) {
            ydoc_fail(d, v, e,
                      "'%s[%zu]' is '%s'; a definition is NAME or NAME=VALUE, NAME a C "
                      "identifier",
                      k, i, s);
            return err_hint(e, "e.g. defines: [DEBUG, SAMPLE_RATE=100]");
        }
    }
    return 0;
}

static int p_defines(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    struct process_decl *p = o;
    return process_flag_list(d, v, k, false, &p->defines, &p->n_defines, e);
}

static int p_cflags(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    struct process_decl *p = o;
    return process_flag_list(d, v, k, true, &p->cflags, &p->n_cflags, e);
}

static int number(struct ydoc *d, yaml_node_t *v, const char *k, struct process_decl *p,
                  const struct process_number *n, struct err *e)
{
    uint32_t *out = (uint32_t *)((char *)p + n->offset);
    p->given |= n->given;
    if (ydoc_u32(d, v, k, n->min, n->max, out, e) != 0) {
        return -1;
    }
    return *out % n->step ? ydoc_fail(d, v, e, "'%s' must be a multiple of %u", k, n->step) : 0;
}

/* One handler per number, from the table. */
#define X(key, min, max, def, step)                                                                \
    static int n_##key(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)      \
    {                                                                                              \
        return number(d, v, k, o, &process_numbers[PROC_GIVEN_##key], e);                          \
    }
LIMIT_PROCESS_NUMBERS(X)
#undef X

static int p_system(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    struct process_decl *p = o;
    p->given |= PROC_GIVEN(system);
    return ydoc_bool(d, v, k, &p->system, e);
}

static int p_updater(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    struct process_decl *p = o;
    p->given |= PROC_GIVEN(updater);
    return ydoc_bool(d, v, k, &p->updater, e);
}

static int p_flash(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    struct process_decl *p = o;
    p->given |= PROC_GIVEN(flash);
    return ydoc_bool(d, v, k, &p->flash, e);
}

static int p_fault(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    struct process_decl *p = o;
    p->given |= PROC_GIVEN(fault_policy);
    if (fault_policy_parse(ydoc_scalar(v), &p->fault_policy) != 0) {
        return ydoc_fail(d, v, e, "'%s' must be %s", k, fault_policy_list());
    }
    return 0;
}

static int m_base(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    return ydoc_u32(d, v, k, 0, 0xffffffffu, &((struct mmio_range *)o)->base, e);
}

static int m_size(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    return ydoc_u32(d, v, k, LIMIT_MMIO_MIN, 0xffffffffu, &((struct mmio_range *)o)->size, e);
}

static int p_mmio(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    struct process_decl *p = o;
    static const struct ydoc_field f[] = {{"base", true, m_base}, {"size", true, m_size}};
    long n = ydoc_seq(d, v, k, "a list of ranges", 0, LIMIT_MMIO, e);
    if (n < 0) {
        return err_hint(e, "e.g. mmio: [{ base: 0x40004000, size: 0x1000 }]; MPU regions are "
                           "scarce, so merge adjacent ranges");
    }
    for (p->n_mmio = 0; p->n_mmio < (size_t)n; p->n_mmio++) {
        struct mmio_range *r = &p->mmio[p->n_mmio];
        if (ydoc_walk_item(d, v, p->n_mmio, k, f, 2, r, e) != 0) {
            return -1;
        }
        if ((uint64_t)r->base + r->size > 0x100000000ull) {
            return ydoc_fail(d, ydoc_item(d, v, p->n_mmio), e, "'%s[%zu]' ends above 4 GiB", k,
                             p->n_mmio);
        }
    }
    return 0;
}

static int p_irqs(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    struct process_decl *p = o;
    long n = ydoc_seq(d, v, k, "a list of interrupt numbers, e.g. [5, 6]", 0, LIMIT_PROC_IRQS, e);
    for (p->n_irqs = 0; n >= 0 && p->n_irqs < (size_t)n; p->n_irqs++) {
        yaml_node_t *item = ydoc_item(d, v, p->n_irqs);
        char *where = xasprintf("%s[%zu]", k, p->n_irqs);
        int rc = ydoc_u32(d, item, where, 0, LIMIT_IRQ_LINES - 1, &p->irqs[p->n_irqs], e);
        free(where);
        for (size_t i = 0; rc == 0 && i < p->n_irqs; i++) {
            if (p->irqs[i] == p->irqs[p->n_irqs]) {
                rc = ydoc_fail(d, item, e, "'%s': interrupt %u is listed twice", k, p->irqs[i]);
            }
        }
        if (rc != 0) {
            return -1;
        }
    }
    return n < 0 ? -1 : 0;
}

/* A list of distinct names, each valid by @p valid (what the message
 * calls them: @p what). */
static int name_list(struct ydoc *d, yaml_node_t *v, const char *k, bool (*valid)(const char *),
                     const char *what, char ***out, size_t *n, struct err *e)
{
    if (ydoc_str_list(d, v, k, out, n, e) != 0) {
        return -1;
    }
    for (size_t i = 0; i < *n; i++) {
        if (!valid((*out)[i])) {
            return ydoc_fail(d, v, e, "'%s': '%s' is not %s", k, (*out)[i], what);
        }
        for (size_t j = 0; j < i; j++) {
            if (strcmp((*out)[i], (*out)[j]) == 0) {
                return ydoc_fail(d, v, e, "'%s': '%s' is listed twice", k, (*out)[i]);
            }
        }
    }
    return 0;
}

static int p_peripherals(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    struct process_decl *p = o;
    if (name_list(d, v, k, bsp_peripheral_name_valid,
                  "a peripheral name (lower-case letters, digits and '_', as in the board's "
                  "bsp.yaml)",
                  &p->peripherals, &p->n_peripherals, e) != 0) {
        return err_hint(e, "e.g. peripherals: [eth0], names from the board's bsp.yaml");
    }
    return 0;
}

static int p_callers(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    struct process_decl *p = o;
    if (name_list(d, v, k, process_name_valid, "a process name (a C identifier)", &p->callers,
                  &p->n_callers, e) != 0 ||
        (p->n_callers == 0 && ydoc_fail(d, v, e, "'%s' is empty: name at least one", k))) {
        return err_hint(e, "e.g. callers: [fs], the processes its services serve; leave it out "
                           "to serve every process");
    }
    return 0;
}

/* A device belongs to one process: another reaches it over RPC. */
static int check_owners(struct ydoc *d, yaml_node_t *item, const struct process_decl *procs,
                        size_t i, struct err *e)
{
    const struct process_decl *p = &procs[i];
    for (size_t j = 0; j < i; j++) {
        for (size_t a = 0; a < p->n_peripherals; a++) {
            for (size_t b = 0; b < procs[j].n_peripherals; b++) {
                if (strcmp(p->peripherals[a], procs[j].peripherals[b]) == 0) {
                    ydoc_fail(d, item, e,
                              "processes '%s' (line %lu) and '%s' both ask for peripheral '%s'",
                              procs[j].name, procs[j].line, p->name, p->peripherals[a]);
                    return err_hint(e, "a peripheral belongs to one process: let the other "
                                       "reach it over RPC");
                }
            }
        }
    }
    return 0;
}

/* The rules between numbers (limits.h). */
static int check_numbers(struct ydoc *d, yaml_node_t *item, const char *where, size_t i,
                         struct process_decl *p, struct err *e)
{
    if (!(p->given & PROC_GIVEN(max_priority))) {
        p->max_priority = p->priority;
    } else if (p->max_priority > p->priority) {
        return ydoc_fail(d, item, e,
                         "'%s[%zu].max_priority' is %u; it must be %u (highest) .. %u (its "
                         "priority)",
                         where, i, p->max_priority, LIMIT_PRIO_HIGHEST, p->priority);
    }
    if (p->rpc_stack != 0 && p->rpc_stack < LIMIT_RPC_STACK_MIN) {
        return ydoc_fail(d, item, e,
                         "'%s[%zu].rpc_stack' is %u; it must be %u..65535 bytes, or 0 (all the "
                         "caller has left)",
                         where, i, p->rpc_stack, LIMIT_RPC_STACK_MIN);
    }
    if (p->flash_reserve == 0 && (p->given & (PROC_GIVEN(ram_reserve) | PROC_GIVEN(version)))) {
        return ydoc_fail(d, item, e,
                         "'%s[%zu]': ram_reserve and version are for an updatable process; give "
                         "it a flash_reserve (bytes of each of its two flash slots)",
                         where, i);
    }
    if (p->flash_reserve != 0 && p->ram_reserve == 0) {
        return ydoc_fail(d, item, e,
                         "'%s[%zu]': an updatable process needs a ram_reserve (bytes for the "
                         ".data and .bss of every version)",
                         where, i);
    }
    return 0;
}

static void set_defaults(struct process_decl *p)
{
    for (size_t i = 0; i < PROCESS_NUMBERS; i++) {
        *(uint32_t *)((char *)p + process_numbers[i].offset) = process_numbers[i].def;
    }
    p->fault_policy = FAULT_KILL_THREAD;
}

int process_list_parse(struct ydoc *d, yaml_node_t *list, const char *where, unsigned flags,
                       struct process_decl **out, size_t *n, struct err *e)
{
    struct ydoc_field f[24] = {{"name", true, p_name}};
    size_t nf = 1;
    if (flags & PROC_WITH_SOURCES) {
        f[nf++] = (struct ydoc_field){"sources", true, p_sources};
        f[nf++] = (struct ydoc_field){"include_dirs", false, p_include_dirs};
        f[nf++] = (struct ydoc_field){"defines", false, p_defines};
        f[nf++] = (struct ydoc_field){"cflags", false, p_cflags};
    }
#define X(key, min, max, def, step) f[nf++] = (struct ydoc_field){#key, false, n_##key};
    LIMIT_PROCESS_NUMBERS(X)
#undef X
    f[nf++] = (struct ydoc_field){"mmio", false, p_mmio};
    f[nf++] = (struct ydoc_field){"irqs", false, p_irqs};
    f[nf++] = (struct ydoc_field){"peripherals", false, p_peripherals};
    f[nf++] = (struct ydoc_field){"callers", false, p_callers};
    f[nf++] = (struct ydoc_field){"fault_policy", false, p_fault};
    f[nf++] = (struct ydoc_field){"system", false, p_system};
    f[nf++] = (struct ydoc_field){"updater", false, p_updater};
    f[nf++] = (struct ydoc_field){"flash", false, p_flash};
    *out = NULL;
    *n = 0;
    if (ydoc_is_null(list)) {
        return 0;
    }
    long count = ydoc_seq(d, list, where, "a list of processes", 0, (size_t)-1, e);
    if (count < 0) {
        return err_hint(e, "e.g.\n  processes:\n    - name: app\n      sources: [src/app.c]");
    }
    struct process_decl *procs = xcalloc((size_t)count, sizeof(*procs));
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < (size_t)count; i++) {
        struct process_decl *p = &procs[(*n)++];
        set_defaults(p);
        p->line = ydoc_line(ydoc_item(d, list, i));
        rc = ydoc_walk_item(d, list, i, where, f, nf, p, e);
        if (rc == 0) {
            rc = check_numbers(d, ydoc_item(d, list, i), where, i, p, e);
        }
        if (rc == 0) {
            rc = check_owners(d, ydoc_item(d, list, i), procs, i, e);
        }
        for (size_t j = 0; rc == 0 && j < i; j++) {
            if (strcmp(procs[j].name, p->name) == 0) {
                rc = ydoc_fail(d, ydoc_item(d, list, i), e,
                               "two processes are called '%s' (the other at line %lu)", p->name,
                               procs[j].line);
            }
        }
    }
    if (rc != 0) {
        process_list_free(procs, *n);
        *n = 0;
        return -1;
    }
    *out = procs;
    return 0;
}

void process_list_free(struct process_decl *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(p[i].name);
        strv_free(p[i].sources, p[i].n_sources);
        strv_free(p[i].include_dirs, p[i].n_include_dirs);
        strv_free(p[i].defines, p[i].n_defines);
        strv_free(p[i].cflags, p[i].n_cflags);
        strv_free(p[i].peripherals, p[i].n_peripherals);
        strv_free(p[i].callers, p[i].n_callers);
    }
    free(p);
}

void process_emit(struct yemit *y, const struct process_decl *p)
{
    yemit_map(y, false);
    yemit_kv(y, "name", p->name);
    if (p->sources != NULL) {
        yemit_klist(y, "sources", p->sources, p->n_sources);
    }
    if (p->include_dirs != NULL) {
        yemit_klist(y, "include_dirs", p->include_dirs, p->n_include_dirs);
    }
    if (p->defines != NULL) {
        yemit_klist(y, "defines", p->defines, p->n_defines);
    }
    if (p->cflags != NULL) {
        yemit_klist(y, "cflags", p->cflags, p->n_cflags);
    }
    for (size_t i = 0; i < PROCESS_NUMBERS; i++) {
        if (p->given & process_numbers[i].given) {
            yemit_ku(y, process_numbers[i].key, process_number(p, &process_numbers[i]), false);
        }
    }
    if (p->n_mmio > 0) {
        yemit_str(y, "mmio");
        yemit_seq(y, false);
        for (size_t i = 0; i < p->n_mmio; i++) {
            yemit_map(y, true);
            yemit_ku(y, "base", p->mmio[i].base, true);
            yemit_ku(y, "size", p->mmio[i].size, true);
            yemit_map_end(y);
        }
        yemit_seq_end(y);
    }
    if (p->n_irqs > 0) {
        yemit_str(y, "irqs");
        yemit_seq(y, true);
        for (size_t i = 0; i < p->n_irqs; i++) {
            char buf[12];
            snprintf(buf, sizeof(buf), "%u", p->irqs[i]);
            yemit_str(y, buf);
        }
        yemit_seq_end(y);
    }
    if (p->peripherals != NULL) {
        yemit_klist(y, "peripherals", p->peripherals, p->n_peripherals);
    }
    if (p->callers != NULL) {
        yemit_klist(y, "callers", p->callers, p->n_callers);
    }
    if (p->given & PROC_GIVEN(fault_policy)) {
        yemit_kv(y, "fault_policy", fault_policy_name(p->fault_policy));
    }
    if (p->given & PROC_GIVEN(system)) {
        yemit_kv(y, "system", p->system ? "true" : "false");
    }
    if (p->given & PROC_GIVEN(updater)) {
        yemit_kv(y, "updater", p->updater ? "true" : "false");
    }
    if (p->given & PROC_GIVEN(flash)) {
        yemit_kv(y, "flash", p->flash ? "true" : "false");
    }
    yemit_map_end(y);
}

bool process_equal(const struct process_decl *a, const struct process_decl *b)
{
    if (!str_equal(a->name, b->name) ||
        !strv_equal(a->sources, a->n_sources, b->sources, b->n_sources) ||
        !strv_equal(a->include_dirs, a->n_include_dirs, b->include_dirs, b->n_include_dirs) ||
        !strv_equal(a->defines, a->n_defines, b->defines, b->n_defines) ||
        !strv_equal(a->cflags, a->n_cflags, b->cflags, b->n_cflags) ||
        !strv_equal(a->peripherals, a->n_peripherals, b->peripherals, b->n_peripherals) ||
        !strv_equal(a->callers, a->n_callers, b->callers, b->n_callers) || a->given != b->given ||
        a->n_mmio != b->n_mmio || a->n_irqs != b->n_irqs || a->fault_policy != b->fault_policy ||
        a->system != b->system || a->updater != b->updater || a->flash != b->flash) {
        return false;
    }
    for (size_t i = 0; i < PROCESS_NUMBERS; i++) {
        if (process_number(a, &process_numbers[i]) != process_number(b, &process_numbers[i])) {
            return false;
        }
    }
    for (size_t i = 0; i < a->n_mmio; i++) {
        if (a->mmio[i].base != b->mmio[i].base || a->mmio[i].size != b->mmio[i].size) {
            return false;
        }
    }
    return a->n_irqs == 0 || memcmp(a->irqs, b->irqs, a->n_irqs * sizeof(uint32_t)) == 0;
}
