#include "manifest.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bsp.h"
#include "fsutil.h"
#include "semver.h"
#include "yamldoc.h"

static const char *const policy_names[] = {"", "kill-thread", "kill-process", "restart"};

const char *fault_policy_name(enum fault_policy p)
{
    return policy_names[p];
}

static bool is_c_identifier(const char *s)
{
    if (s == NULL || !(isalpha((unsigned char)*s) || *s == '_') || strlen(s) > 32) {
        return false;
    }
    for (; *s; s++) {
        if (!isalnum((unsigned char)*s) && *s != '_') {
            return false;
        }
    }
    return true;
}

bool manifest_name_valid(const char *s)
{
    if (s == NULL || !isalpha((unsigned char)*s) || strlen(s) > 64) {
        return false;
    }
    for (; *s; s++) {
        if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-') {
            return false;
        }
    }
    return true;
}

bool manifest_name_reserved(const char *s)
{
    static const char *const cmake_targets[] = {
        "all",     "clean",          "help",       "install",       "test",
        "package", "package_source", "edit_cache", "rebuild_cache", "list_install_components"};
    for (size_t i = 0; i < sizeof(cmake_targets) / sizeof(cmake_targets[0]); i++) {
        if (strcmp(s, cmake_targets[i]) == 0) {
            return true;
        }
    }
    return strncmp(s, "cmrx_", 5) == 0 || strncmp(s, "cmrxproc_", 9) == 0;
}

/* ---- top-level keys ----------------------------------------------------- */

static int f_name(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    struct manifest *m = o;
    if (ydoc_str(d, v, k, &m->name, e) != 0) {
        return -1;
    }
    if (!manifest_name_valid(m->name)) {
        ydoc_fail(d, v, e,
                  "'name' is '%s'; a project name starts with a letter and holds only "
                  "letters, digits, '-' and '_'",
                  m->name);
        return -1;
    }
    if (manifest_name_reserved(m->name)) {
        ydoc_fail(d, v, e,
                  "'name' is '%s', a name the build uses for its own targets; choose another",
                  m->name);
        return -1;
    }
    return 0;
}

static int f_version(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    struct manifest *m = o;
    struct semver sv;
    char why[256];
    if (ydoc_str(d, v, k, &m->version, e) != 0) {
        return -1;
    }
    if (semver_parse(m->version, &sv, why, sizeof(why)) != 0) {
        return ydoc_fail(d, v, e, "'version': %s", why);
    }
    return 0;
}

static int f_description(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    return ydoc_str(d, v, k, &((struct manifest *)o)->description, e);
}

static int f_board(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    struct manifest *m = o;
    if (ydoc_str(d, v, k, &m->board, e) != 0) {
        return -1;
    }
    m->board_line = ydoc_line(v);
    if (!name_is_valid(m->board)) {
        ydoc_fail(d, v, e, "'board' is '%s', which is not a board name", m->board);
        return err_hint(e, "board names are lower case, e.g. qemu-mps2-an385; run `cmrx boards`");
    }
    return 0;
}

static int check_constraint(struct ydoc *d, yaml_node_t *v, const char *k, const char *text,
                            struct err *e)
{
    struct constraint c;
    char why[256];
    if (constraint_parse(text, &c, why, sizeof(why)) != 0) {
        ydoc_fail(d, v, e, "'%s': invalid version constraint '%s': %s", k, text, why);
        return err_hint(e, "examples: ^1.2, ~1.2.3, >=1.0 <2.0, 1.4.2, *");
    }
    return 0;
}

static int f_kernel(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    struct manifest *m = o;
    if (ydoc_str(d, v, k, &m->kernel, e) != 0) {
        return -1;
    }
    m->kernel_line = ydoc_line(v);
    return check_constraint(d, v, k, m->kernel, e);
}

static int f_dependencies(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    struct manifest *m = o;
    if (ydoc_is_null(v)) {
        return 0; /* "dependencies:" with nothing under it */
    }
    if (v->type != YAML_MAPPING_NODE) {
        ydoc_fail(d, v, e, "'%s' must be a mapping of package names to version constraints", k);
        return err_hint(e, "e.g.\n  dependencies:\n    uart-console: ^1.0");
    }
    size_t n = (size_t)(v->data.mapping.pairs.top - v->data.mapping.pairs.start);
    m->deps = xcalloc(n, sizeof(*m->deps));
    for (yaml_node_pair_t *p = v->data.mapping.pairs.start; p < v->data.mapping.pairs.top; p++) {
        yaml_node_t *kn = yaml_document_get_node(&d->doc, p->key);
        yaml_node_t *vn = yaml_document_get_node(&d->doc, p->value);
        const char *name = ydoc_scalar(kn);
        if (name == NULL || !name_is_valid(name)) {
            ydoc_fail(d, kn, e, "'%s': '%s' is not a package name", k, name ? name : "?");
            return err_hint(e, "package names are lower case letters, digits, '-', '_' and '.', "
                               "and cannot hold '/' or '..'");
        }
        if (strcmp(name, "kernel") == 0) {
            ydoc_fail(d, kn, e, "'%s': the kernel is not a dependency", k);
            return err_hint(e, "set its version with the top-level key, e.g. 'kernel: ^0.1'");
        }
        for (size_t i = 0; i < m->n_deps; i++) {
            if (strcmp(m->deps[i].name, name) == 0) {
                return ydoc_fail(d, kn, e, "'%s': '%s' appears twice", k, name);
            }
        }
        struct dependency *dep = &m->deps[m->n_deps++];
        dep->name = xstrdup(name);
        dep->line = ydoc_line(kn);
        char *where = xasprintf("%s.%s", k, name);
        int rc = ydoc_str(d, vn, where, &dep->constraint, e);
        if (rc == 0) {
            rc = check_constraint(d, vn, where, dep->constraint, e);
        }
        free(where);
        if (rc != 0) {
            return -1;
        }
    }
    return 0;
}

/* ---- processes ---------------------------------------------------------- */

static int path_list(struct ydoc *d, yaml_node_t *v, const char *k, char ***out, size_t *n,
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
    }
    return 0;
}

static int p_name(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    struct process_decl *p = o;
    if (ydoc_str(d, v, k, &p->name, e) != 0) {
        return -1;
    }
    if (!is_c_identifier(p->name)) {
        return ydoc_fail(d, v, e,
                         "'%s' is '%s'; a process name is a C identifier of at most "
                         "32 characters",
                         k, p->name);
    }
    return 0;
}

static int p_sources(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    struct process_decl *p = o;
    if (path_list(d, v, k, &p->sources, &p->n_sources, e) != 0) {
        return -1;
    }
    return p->n_sources ? 0 : ydoc_fail(d, v, e, "'%s' must list at least one source file", k);
}

static int p_include_dirs(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    struct process_decl *p = o;
    return path_list(d, v, k, &p->include_dirs, &p->n_include_dirs, e);
}

static int p_stack(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    struct process_decl *p = o;
    p->has |= PROC_HAS_STACK;
    if (ydoc_u32(d, v, k, 256, 1024 * 1024, &p->stack_size, e) != 0) {
        return -1;
    }
    return p->stack_size % 8 ? ydoc_fail(d, v, e, "'%s' must be a multiple of 8", k) : 0;
}

static int p_threads(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    struct process_decl *p = o;
    p->has |= PROC_HAS_THREADS;
    return ydoc_u32(d, v, k, 0, 254, &p->threads, e);
}

static int p_timers(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    struct process_decl *p = o;
    p->has |= PROC_HAS_TIMERS;
    return ydoc_u32(d, v, k, 0, 64, &p->timers, e);
}

static int p_priority(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    struct process_decl *p = o;
    p->has |= PROC_HAS_PRIORITY;
    return ydoc_u32(d, v, k, 0, 30, &p->priority, e);
}

static int p_max_priority(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    struct process_decl *p = o;
    p->has |= PROC_HAS_MAX_PRIORITY;
    return ydoc_u32(d, v, k, 0, 30, &p->max_priority, e);
}

static int p_rpc_stack(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    struct process_decl *p = o;
    p->has |= PROC_HAS_RPC_STACK;
    return ydoc_u32(d, v, k, 0, 65535, &p->rpc_stack, e);
}

static int p_system(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    struct process_decl *p = o;
    p->has |= PROC_HAS_SYSTEM;
    return ydoc_bool(d, v, k, &p->system, e);
}

static int p_fault(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    struct process_decl *p = o;
    const char *s = ydoc_scalar(v);
    for (int i = FAULT_KILL_THREAD; s != NULL && i <= FAULT_RESTART; i++) {
        if (strcmp(s, policy_names[i]) == 0) {
            p->fault_policy = (enum fault_policy)i;
            return 0;
        }
    }
    return ydoc_fail(d, v, e, "'%s' must be kill-thread, kill-process or restart", k);
}

static int m_base(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    return ydoc_u32(d, v, k, 0, 0xffffffffu, &((struct mmio_range *)o)->base, e);
}

static int m_size(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    return ydoc_u32(d, v, k, 32, 0xffffffffu, &((struct mmio_range *)o)->size, e);
}

static int p_mmio(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    struct process_decl *p = o;
    static const struct ydoc_field f[] = {{"base", true, m_base}, {"size", true, m_size}};
    if (v == NULL || v->type != YAML_SEQUENCE_NODE) {
        ydoc_fail(d, v, e, "'%s' must be a list of ranges", k);
        return err_hint(e, "e.g. mmio: [{ base: 0x40004000, size: 0x1000 }]");
    }
    for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top;
         it++) {
        yaml_node_t *item = yaml_document_get_node(&d->doc, *it);
        if (p->n_mmio == MANIFEST_MAX_MMIO) {
            return ydoc_fail(d, item, e, "'%s': at most %d ranges per process", k,
                             MANIFEST_MAX_MMIO);
        }
        char *where = xasprintf("%s[%zu]", k, p->n_mmio);
        struct mmio_range *r = &p->mmio[p->n_mmio++];
        int rc = ydoc_walk(d, item, where, f, 2, r, e);
        if (rc == 0 && (uint64_t)r->base + r->size > 0x100000000ull) {
            rc = ydoc_fail(d, item, e, "'%s' ends above 4 GiB", where);
        }
        free(where);
        if (rc != 0) {
            return -1;
        }
    }
    return 0;
}

static int p_irqs(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    struct process_decl *p = o;
    if (v == NULL || v->type != YAML_SEQUENCE_NODE) {
        return ydoc_fail(d, v, e, "'%s' must be a list of interrupt numbers, e.g. [5, 6]", k);
    }
    size_t n = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
    p->irqs = xcalloc(n, sizeof(uint32_t));
    for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top;
         it++) {
        yaml_node_t *item = yaml_document_get_node(&d->doc, *it);
        char *where = xasprintf("%s[%zu]", k, p->n_irqs);
        uint32_t irq;
        int rc = ydoc_u32(d, item, where, 0, MANIFEST_MAX_IRQS - 1, &irq, e);
        free(where);
        if (rc != 0) {
            return -1;
        }
        for (size_t i = 0; i < p->n_irqs; i++) {
            if (p->irqs[i] == irq) {
                return ydoc_fail(d, item, e, "'%s': interrupt %u is listed twice", k, irq);
            }
        }
        p->irqs[p->n_irqs++] = irq;
    }
    return 0;
}

static int p_peripherals(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    struct process_decl *p = o;
    if (ydoc_str_list(d, v, k, &p->peripherals, &p->n_peripherals, e) != 0) {
        return err_hint(e, "e.g. peripherals: [eth0, timer0], names from the board's bsp.yaml");
    }
    for (size_t i = 0; i < p->n_peripherals; i++) {
        if (!bsp_peripheral_name_valid(p->peripherals[i])) {
            return ydoc_fail(d, v, e,
                             "'%s': '%s' is not a peripheral name (lower-case letters, digits "
                             "and '_', as in the board's bsp.yaml)",
                             k, p->peripherals[i]);
        }
        for (size_t j = 0; j < i; j++) {
            if (strcmp(p->peripherals[i], p->peripherals[j]) == 0) {
                return ydoc_fail(d, v, e, "'%s': '%s' is listed twice", k, p->peripherals[i]);
            }
        }
    }
    return 0;
}

static int f_processes(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    struct manifest *m = o;
    static const struct ydoc_field f[] = {
        {"name", true, p_name},
        {"sources", true, p_sources},
        {"include_dirs", false, p_include_dirs},
        {"stack_size", false, p_stack},
        {"threads", false, p_threads},
        {"timers", false, p_timers},
        {"priority", false, p_priority},
        {"max_priority", false, p_max_priority},
        {"rpc_stack", false, p_rpc_stack},
        {"mmio", false, p_mmio},
        {"irqs", false, p_irqs},
        {"peripherals", false, p_peripherals},
        {"fault_policy", false, p_fault},
        {"system", false, p_system},
    };
    if (ydoc_is_null(v)) {
        return 0;
    }
    if (v->type != YAML_SEQUENCE_NODE) {
        ydoc_fail(d, v, e, "'%s' must be a list of processes", k);
        return err_hint(e, "e.g.\n  processes:\n    - name: app\n      sources: [src/app.c]");
    }
    size_t n = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
    m->procs = xcalloc(n, sizeof(*m->procs));
    for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top;
         it++) {
        yaml_node_t *item = yaml_document_get_node(&d->doc, *it);
        struct process_decl *p = &m->procs[m->n_procs++];
        p->line = ydoc_line(item);
        char *where = xasprintf("%s[%zu]", k, m->n_procs - 1);
        int rc = ydoc_walk(d, item, where, f, sizeof(f) / sizeof(f[0]), p, e);
        free(where);
        if (rc != 0) {
            return -1;
        }
        for (size_t i = 0; i + 1 < m->n_procs; i++) {
            if (strcmp(m->procs[i].name, p->name) == 0) {
                return ydoc_fail(d, item, e,
                                 "two processes are called '%s' (the other at line "
                                 "%lu)",
                                 p->name, m->procs[i].line);
            }
            /* A device belongs to one process. */
            for (size_t a = 0; a < p->n_peripherals; a++) {
                for (size_t b = 0; b < m->procs[i].n_peripherals; b++) {
                    if (strcmp(p->peripherals[a], m->procs[i].peripherals[b]) == 0) {
                        ydoc_fail(d, item, e,
                                  "processes '%s' (line %lu) and '%s' both ask for peripheral "
                                  "'%s'",
                                  m->procs[i].name, m->procs[i].line, p->name, p->peripherals[a]);
                        return err_hint(e, "a peripheral belongs to one process: let the other "
                                           "reach it over RPC");
                    }
                }
            }
        }
    }
    return 0;
}

/* A setting's key or value goes into CMake as written: plain words only. */
static bool setting_key_valid(const char *s)
{
    return bsp_peripheral_name_valid(s);
}

static bool setting_value_valid(const char *s)
{
    if (*s == '\0' || strlen(s) > 128) {
        return false;
    }
    for (; *s; s++) {
        if (!isalnum((unsigned char)*s) && strchr("_.:+-", *s) == NULL) {
            return false;
        }
    }
    return true;
}

static int f_settings(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    struct manifest *m = o;
    if (ydoc_is_null(v)) {
        return 0;
    }
    if (v->type != YAML_MAPPING_NODE) {
        ydoc_fail(d, v, e, "'%s' must be a mapping of component names to their settings", k);
        return err_hint(e, "e.g.\n  settings:\n    netstack: { sockets: 8 }");
    }
    for (yaml_node_pair_t *p = v->data.mapping.pairs.start; p < v->data.mapping.pairs.top; p++) {
        yaml_node_t *kn = yaml_document_get_node(&d->doc, p->key);
        yaml_node_t *vn = yaml_document_get_node(&d->doc, p->value);
        const char *comp = ydoc_scalar(kn);
        if (comp == NULL || !name_is_valid(comp)) {
            return ydoc_fail(d, kn, e, "'%s': '%s' is not a package name", k, comp ? comp : "?");
        }
        if (vn->type != YAML_MAPPING_NODE) {
            ydoc_fail(d, vn, e, "'%s.%s' must be a mapping of settings to values", k, comp);
            return err_hint(e, "see the component's README for its settings");
        }
        for (yaml_node_pair_t *q = vn->data.mapping.pairs.start; q < vn->data.mapping.pairs.top;
             q++) {
            yaml_node_t *qk = yaml_document_get_node(&d->doc, q->key);
            yaml_node_t *qv = yaml_document_get_node(&d->doc, q->value);
            const char *key = ydoc_scalar(qk);
            const char *val = ydoc_scalar(qv);
            if (key == NULL || !setting_key_valid(key)) {
                return ydoc_fail(d, qk, e,
                                 "'%s.%s': '%s' is not a setting name (lower-case letters, "
                                 "digits and '_')",
                                 k, comp, key ? key : "?");
            }
            if (val == NULL || !setting_value_valid(val)) {
                return ydoc_fail(d, qv, e,
                                 "'%s.%s.%s' must be a number or a word (letters, digits, "
                                 "'_', '.', ':', '+', '-')",
                                 k, comp, key);
            }
            for (size_t i = 0; i < m->n_settings; i++) {
                if (strcmp(m->settings[i].component, comp) == 0 &&
                    strcmp(m->settings[i].key, key) == 0) {
                    return ydoc_fail(d, qk, e, "'%s.%s.%s' appears twice", k, comp, key);
                }
            }
            m->settings = xrealloc(m->settings, (m->n_settings + 1) * sizeof(*m->settings));
            struct setting *st = &m->settings[m->n_settings++];
            st->component = xstrdup(comp);
            st->key = xstrdup(key);
            st->value = xstrdup(val);
            st->line = ydoc_line(qk);
        }
    }
    return 0;
}

int forward_parse(const char *s, bool *udp, unsigned *host, unsigned *board)
{
    if (strncmp(s, "tcp:", 4) != 0 && strncmp(s, "udp:", 4) != 0) {
        return -1;
    }
    *udp = s[0] == 'u';
    char *end;
    unsigned long h = strtoul(s + 4, &end, 10);
    if (end == s + 4 || *end != ':' || !isdigit((unsigned char)s[4]) || h > 65535) {
        return -1;
    }
    const char *b = end + 1;
    unsigned long g = strtoul(b, &end, 10);
    if (end == b || *end != '\0' || !isdigit((unsigned char)*b) || g == 0 || g > 65535) {
        return -1;
    }
    *host = (unsigned)h;
    *board = (unsigned)g;
    return 0;
}

static int n_forward(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    struct manifest *m = o;
    if (ydoc_str_list(d, v, k, &m->forwards, &m->n_forwards, e) != 0) {
        return err_hint(e, "e.g. forward: [tcp:8080:80, udp:8007:7]");
    }
    for (size_t i = 0; i < m->n_forwards; i++) {
        bool udp, udp2;
        unsigned h, g, h2, g2;
        if (forward_parse(m->forwards[i], &udp, &h, &g) != 0) {
            ydoc_fail(d, v, e, "'%s': '%s' is not a port forward", k, m->forwards[i]);
            return err_hint(e, "write tcp:HOST:BOARD or udp:HOST:BOARD with ports 1..65535 "
                               "(HOST 0: any free port), e.g. tcp:8080:80");
        }
        for (size_t j = 0; j < i; j++) {
            forward_parse(m->forwards[j], &udp2, &h2, &g2);
            if (udp == udp2 && h == h2 && h != 0) {
                return ydoc_fail(d, v, e, "'%s': host port %s:%u is forwarded twice", k,
                                 udp ? "udp" : "tcp", h);
            }
        }
    }
    return 0;
}

static int f_network(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    static const struct ydoc_field f[] = {{"forward", false, n_forward}};
    if (ydoc_is_null(v)) {
        return 0;
    }
    return ydoc_walk(d, v, k, f, 1, o, e);
}

char *setting_variable(const struct setting *s)
{
    char *v = xasprintf("%s_%s", s->component, s->key);
    for (char *c = v; *c; c++) {
        *c = *c == '-' || *c == '.' ? '_' : (char)toupper((unsigned char)*c);
    }
    return v;
}

int manifest_parse(const char *path, const char *text, size_t len, struct manifest *m,
                   struct err *e)
{
    static const struct ydoc_field top[] = {
        {"name", true, f_name},
        {"version", false, f_version},
        {"description", false, f_description},
        {"board", true, f_board},
        {"kernel", false, f_kernel},
        {"dependencies", false, f_dependencies},
        {"processes", false, f_processes},
        {"settings", false, f_settings},
        {"network", false, f_network},
    };
    struct ydoc d;
    memset(m, 0, sizeof(*m));
    m->path = path;
    if (ydoc_load(&d, path, text, len, e) != 0) {
        return -1;
    }
    int rc;
    if (ydoc_root(&d) == NULL) {
        rc = err_set(e, "%s: the file is empty", path);
        err_hint(e, "it needs at least 'name:' and 'board:'; `cmrx new` writes a complete one");
    } else {
        rc = ydoc_walk(&d, ydoc_root(&d), "", top, sizeof(top) / sizeof(top[0]), m, e);
    }
    ydoc_free(&d);
    if (rc != 0) {
        manifest_free(m);
        m->path = path;
    }
    return rc;
}

void manifest_free(struct manifest *m)
{
    free(m->name);
    free(m->version);
    free(m->description);
    free(m->board);
    free(m->kernel);
    for (size_t i = 0; i < m->n_deps; i++) {
        free(m->deps[i].name);
        free(m->deps[i].constraint);
    }
    free(m->deps);
    for (size_t i = 0; i < m->n_procs; i++) {
        struct process_decl *p = &m->procs[i];
        free(p->name);
        strv_free(p->sources, p->n_sources);
        strv_free(p->include_dirs, p->n_include_dirs);
        free(p->irqs);
        strv_free(p->peripherals, p->n_peripherals);
    }
    free(m->procs);
    for (size_t i = 0; i < m->n_settings; i++) {
        free(m->settings[i].component);
        free(m->settings[i].key);
        free(m->settings[i].value);
    }
    free(m->settings);
    strv_free(m->forwards, m->n_forwards);
    memset(m, 0, sizeof(*m));
}

const struct dependency *manifest_dep(const struct manifest *m, const char *name)
{
    for (size_t i = 0; i < m->n_deps; i++) {
        if (strcmp(m->deps[i].name, name) == 0) {
            return &m->deps[i];
        }
    }
    return NULL;
}

/* ---- emitting and comparing --------------------------------------------- */

static void emit_list(struct yemit *y, const char *key, char **l, size_t n)
{
    yemit_str(y, key);
    yemit_seq(y, true);
    for (size_t i = 0; i < n; i++) {
        yemit_str(y, l[i]);
    }
    yemit_seq_end(y);
}

static void emit_process(struct yemit *y, const struct process_decl *p)
{
    yemit_map(y, false);
    yemit_kv(y, "name", p->name);
    emit_list(y, "sources", p->sources, p->n_sources);
    if (p->include_dirs != NULL) {
        emit_list(y, "include_dirs", p->include_dirs, p->n_include_dirs);
    }
    if (p->has & PROC_HAS_STACK) {
        yemit_ku(y, "stack_size", p->stack_size, false);
    }
    if (p->has & PROC_HAS_THREADS) {
        yemit_ku(y, "threads", p->threads, false);
    }
    if (p->has & PROC_HAS_TIMERS) {
        yemit_ku(y, "timers", p->timers, false);
    }
    if (p->has & PROC_HAS_PRIORITY) {
        yemit_ku(y, "priority", p->priority, false);
    }
    if (p->has & PROC_HAS_MAX_PRIORITY) {
        yemit_ku(y, "max_priority", p->max_priority, false);
    }
    if (p->has & PROC_HAS_RPC_STACK) {
        yemit_ku(y, "rpc_stack", p->rpc_stack, false);
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
    if (p->irqs != NULL) {
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
        emit_list(y, "peripherals", p->peripherals, p->n_peripherals);
    }
    if (p->fault_policy != FAULT_UNSET) {
        yemit_kv(y, "fault_policy", fault_policy_name(p->fault_policy));
    }
    if (p->has & PROC_HAS_SYSTEM) {
        yemit_kv(y, "system", p->system ? "true" : "false");
    }
    yemit_map_end(y);
}

int manifest_emit(const struct manifest *m, char **out, size_t *len, struct err *e)
{
    struct yemit y;
    yemit_begin(&y);
    yemit_kv(&y, "name", m->name);
    if (m->version) {
        yemit_kv(&y, "version", m->version);
    }
    if (m->description) {
        yemit_kv(&y, "description", m->description);
    }
    yemit_kv(&y, "board", m->board);
    if (m->kernel) {
        yemit_kv(&y, "kernel", m->kernel);
    }
    if (m->n_deps > 0) {
        yemit_str(&y, "dependencies");
        yemit_map(&y, false);
        for (size_t i = 0; i < m->n_deps; i++) {
            yemit_kv(&y, m->deps[i].name, m->deps[i].constraint);
        }
        yemit_map_end(&y);
    }
    if (m->n_procs > 0) {
        yemit_str(&y, "processes");
        yemit_seq(&y, false);
        for (size_t i = 0; i < m->n_procs; i++) {
            emit_process(&y, &m->procs[i]);
        }
        yemit_seq_end(&y);
    }
    /* Settings, grouped by component in the order the components first appear. */
    if (m->n_settings > 0) {
        yemit_str(&y, "settings");
        yemit_map(&y, false);
    }
    for (size_t i = 0; i < m->n_settings; i++) {
        bool first = true;
        for (size_t j = 0; j < i; j++) {
            first = first && strcmp(m->settings[j].component, m->settings[i].component) != 0;
        }
        if (!first) {
            continue;
        }
        yemit_str(&y, m->settings[i].component);
        yemit_map(&y, false);
        for (size_t j = i; j < m->n_settings; j++) {
            if (strcmp(m->settings[j].component, m->settings[i].component) == 0) {
                yemit_kv(&y, m->settings[j].key, m->settings[j].value);
            }
        }
        yemit_map_end(&y);
    }
    if (m->n_settings > 0) {
        yemit_map_end(&y);
    }
    if (m->forwards != NULL) {
        yemit_str(&y, "network");
        yemit_map(&y, false);
        emit_list(&y, "forward", m->forwards, m->n_forwards);
        yemit_map_end(&y);
    }
    return yemit_end(&y, NULL, out, len, e);
}

static bool list_eq(char **a, size_t na, char **b, size_t nb)
{
    if (na != nb) {
        return false;
    }
    for (size_t i = 0; i < na; i++) {
        if (strcmp(a[i], b[i]) != 0) {
            return false;
        }
    }
    return true;
}

static bool process_eq(const struct process_decl *a, const struct process_decl *b)
{
    if (!str_equal(a->name, b->name) ||
        !list_eq(a->sources, a->n_sources, b->sources, b->n_sources) ||
        !list_eq(a->include_dirs, a->n_include_dirs, b->include_dirs, b->n_include_dirs) ||
        !list_eq(a->peripherals, a->n_peripherals, b->peripherals, b->n_peripherals) ||
        a->has != b->has || a->n_mmio != b->n_mmio || a->n_irqs != b->n_irqs ||
        a->fault_policy != b->fault_policy) {
        return false;
    }
    if (((a->has & PROC_HAS_STACK) && a->stack_size != b->stack_size) ||
        ((a->has & PROC_HAS_THREADS) && a->threads != b->threads) ||
        ((a->has & PROC_HAS_TIMERS) && a->timers != b->timers) ||
        ((a->has & PROC_HAS_PRIORITY) && a->priority != b->priority) ||
        ((a->has & PROC_HAS_MAX_PRIORITY) && a->max_priority != b->max_priority) ||
        ((a->has & PROC_HAS_RPC_STACK) && a->rpc_stack != b->rpc_stack) ||
        ((a->has & PROC_HAS_SYSTEM) && a->system != b->system)) {
        return false;
    }
    for (size_t i = 0; i < a->n_mmio; i++) {
        if (a->mmio[i].base != b->mmio[i].base || a->mmio[i].size != b->mmio[i].size) {
            return false;
        }
    }
    return a->n_irqs == 0 || memcmp(a->irqs, b->irqs, a->n_irqs * sizeof(uint32_t)) == 0;
}

bool manifest_equal(const struct manifest *a, const struct manifest *b)
{
    if (!str_equal(a->name, b->name) || !str_equal(a->version, b->version) ||
        !str_equal(a->description, b->description) || !str_equal(a->board, b->board) ||
        !str_equal(a->kernel, b->kernel) || a->n_deps != b->n_deps || a->n_procs != b->n_procs) {
        return false;
    }
    for (size_t i = 0; i < a->n_deps; i++) {
        if (!str_equal(a->deps[i].name, b->deps[i].name) ||
            !str_equal(a->deps[i].constraint, b->deps[i].constraint)) {
            return false;
        }
    }
    for (size_t i = 0; i < a->n_procs; i++) {
        if (!process_eq(&a->procs[i], &b->procs[i])) {
            return false;
        }
    }
    if (a->n_settings != b->n_settings ||
        !list_eq(a->forwards, a->n_forwards, b->forwards, b->n_forwards)) {
        return false;
    }
    for (size_t i = 0; i < a->n_settings; i++) {
        if (!str_equal(a->settings[i].component, b->settings[i].component) ||
            !str_equal(a->settings[i].key, b->settings[i].key) ||
            !str_equal(a->settings[i].value, b->settings[i].value)) {
            return false;
        }
    }
    return true;
}

/* ---- editing in place --------------------------------------------------- */

/* Byte offset of a libyaml mark: its line and its column in characters
 * (libyaml counts UTF-8 sequences as one). */
static size_t mark_offset(const char *text, size_t len, const yaml_mark_t *mk)
{
    size_t off = 0;
    for (size_t line = 0; line < mk->line && off < len; off++) {
        if (text[off] == '\n') {
            line++;
        }
    }
    for (size_t col = 0; col < mk->column && off < len; col++) {
        off++;
        while (off < len && ((unsigned char)text[off] & 0xC0) == 0x80) {
            off++;
        }
    }
    return off;
}

static size_t line_start(const char *text, size_t len, size_t line)
{
    size_t off = 0;
    for (size_t l = 0; l < line && off < len; off++) {
        if (text[off] == '\n') {
            l++;
        }
    }
    return off;
}

/* A scalar as YAML text: plain when it reads back unchanged, else quoted.
 * Names and constraints never hold quotes or backslashes (they are
 * validated), so double quotes need no escapes. */
static char *yaml_scalar_text(const char *s)
{
    bool plain = (isalnum((unsigned char)s[0]) || s[0] == '^' || s[0] == '~' || s[0] == '<' ||
                  s[0] == '=' || s[0] == '_') &&
                 strstr(s, ": ") == NULL && strstr(s, " #") == NULL && s[strlen(s) - 1] != ' ' &&
                 strcmp(s, "~") != 0 && strcmp(s, "null") != 0;
    return plain ? xstrdup(s) : xasprintf("\"%s\"", s);
}

/* Replace [from, to) of text with ins. */
static char *splice(const char *text, size_t len, size_t from, size_t to, const char *ins,
                    size_t *outlen)
{
    size_t il = strlen(ins);
    char *out = xmalloc(len - (to - from) + il + 1);
    memcpy(out, text, from);
    memcpy(out + from, ins, il);
    memcpy(out + from + il, text + to, len - to);
    *outlen = len - (to - from) + il;
    out[*outlen] = '\0';
    return out;
}

/* Whether only blanks (and maybe a comment) follow offset off on its line. */
static bool rest_of_line_blank(const char *text, size_t len, size_t off)
{
    while (off < len && (text[off] == ' ' || text[off] == '\t')) {
        off++;
    }
    return off == len || text[off] == '\n' || text[off] == '#' || text[off] == '\r';
}

static bool line_prefix_blank(const char *text, size_t off)
{
    while (off > 0 && text[off - 1] != '\n') {
        off--;
        if (text[off] != ' ') {
            return false;
        }
    }
    return true;
}

/* Text for a new top-level "key: value" appended at the end. */
static char *append_text(const char *text, size_t len, const char *add, size_t *outlen)
{
    bool nl = len > 0 && text[len - 1] != '\n';
    char *ins = xasprintf("%s%s", nl ? "\n" : "", add);
    char *out = splice(text, len, len, len, ins, outlen);
    free(ins);
    return out;
}

static char *edit_in_place(struct ydoc *d, const char *text, size_t len,
                           const struct manifest_edit *ed, size_t *outlen)
{
    yaml_node_t *root = ydoc_root(d);
    const char *key = ed->kind == EDIT_SET_KERNEL ? "kernel" : "dependencies";
    yaml_node_t *kn = NULL;
    yaml_node_t *v = ydoc_map_get(d, root, key, &kn);
    char *val = ed->constraint ? yaml_scalar_text(ed->constraint) : NULL;
    char *out = NULL;
    if (ed->kind == EDIT_SET_KERNEL) {
        if (v == NULL) {
            char *add = xasprintf("kernel: %s\n", val);
            out = append_text(text, len, add, outlen);
            free(add);
        } else if (v->type == YAML_SCALAR_NODE && !ydoc_is_null(v)) {
            out = splice(text, len, mark_offset(text, len, &v->start_mark),
                         mark_offset(text, len, &v->end_mark), val, outlen);
        }
        free(val);
        return out;
    }
    if (v == NULL) {
        if (ed->kind == EDIT_SET_DEP) {
            char *add = xasprintf("dependencies:\n  %s: %s\n", ed->name, val);
            out = append_text(text, len, add, outlen);
            free(add);
        }
        free(val);
        return out;
    }
    if (ydoc_is_null(v) && ed->kind == EDIT_SET_DEP) {
        /* "dependencies:" alone (or with ~): the entries go on the next lines.
         * An empty value's mark may lie on a later line, so lines are
         * counted from the key. */
        size_t ks = mark_offset(text, len, &kn->start_mark);
        bool same_line = v->start_mark.line == kn->start_mark.line;
        size_t vs = same_line ? mark_offset(text, len, &v->start_mark) : 0;
        size_t ve = same_line ? mark_offset(text, len, &v->end_mark) : 0;
        if (line_prefix_blank(text, ks) && (!same_line || rest_of_line_blank(text, len, ve))) {
            size_t at = line_start(text, len, kn->start_mark.line + 1);
            char *ins =
                xasprintf("%s%*s%s: %s\n", (at == len && len && text[len - 1] != '\n') ? "\n" : "",
                          (int)kn->start_mark.column + 2, "", ed->name, val);
            size_t l1;
            char *t1 = splice(text, len, at, at, ins, &l1);
            out = splice(t1, l1, vs, ve, "", outlen); /* drop an explicit "~" */
            free(t1);
            free(ins);
        }
        free(val);
        return out;
    }
    if (v->type != YAML_MAPPING_NODE || v->data.mapping.style == YAML_FLOW_MAPPING_STYLE) {
        free(val);
        return NULL; /* flow style: re-emit */
    }
    yaml_node_pair_t *first = v->data.mapping.pairs.start, *top = v->data.mapping.pairs.top;
    for (yaml_node_pair_t *p = first; p < top; p++) {
        yaml_node_t *pk = yaml_document_get_node(&d->doc, p->key);
        yaml_node_t *pv = yaml_document_get_node(&d->doc, p->value);
        if (strcmp(ydoc_scalar(pk), ed->name) != 0) {
            continue;
        }
        size_t vs = mark_offset(text, len, &pv->start_mark),
               ve = mark_offset(text, len, &pv->end_mark);
        if (ed->kind == EDIT_SET_DEP) {
            out = splice(text, len, vs, ve, val, outlen);
        } else if (line_prefix_blank(text, mark_offset(text, len, &pk->start_mark)) &&
                   rest_of_line_blank(text, len, ve)) {
            size_t from = line_start(text, len, pk->start_mark.line);
            size_t to = line_start(text, len, pv->end_mark.line + 1);
            out = splice(text, len, from, to, "", outlen);
        }
        free(val);
        return out;
    }
    if (ed->kind == EDIT_SET_DEP && first < top) {
        yaml_node_t *k0 = yaml_document_get_node(&d->doc, first->key);
        yaml_node_t *last = yaml_document_get_node(&d->doc, (top - 1)->value);
        size_t ve = mark_offset(text, len, &last->end_mark);
        if (rest_of_line_blank(text, len, ve)) {
            size_t at = line_start(text, len, last->end_mark.line + 1);
            char *ins =
                xasprintf("%s%*s%s: %s\n", (at == len && len && text[len - 1] != '\n') ? "\n" : "",
                          (int)k0->start_mark.column, "", ed->name, val);
            out = splice(text, len, at, at, ins, outlen);
            free(ins);
        }
    }
    free(val);
    return out;
}

static int apply_to_model(struct manifest *m, const struct manifest_edit *ed, struct err *e)
{
    if (ed->kind == EDIT_SET_KERNEL) {
        free(m->kernel);
        m->kernel = xstrdup(ed->constraint);
        return 0;
    }
    for (size_t i = 0; i < m->n_deps; i++) {
        if (strcmp(m->deps[i].name, ed->name) != 0) {
            continue;
        }
        if (ed->kind == EDIT_SET_DEP) {
            free(m->deps[i].constraint);
            m->deps[i].constraint = xstrdup(ed->constraint);
        } else {
            free(m->deps[i].name);
            free(m->deps[i].constraint);
            memmove(&m->deps[i], &m->deps[i + 1], (m->n_deps - i - 1) * sizeof(m->deps[0]));
            m->n_deps--;
        }
        return 0;
    }
    if (ed->kind == EDIT_REMOVE_DEP) {
        return err_set(e, "%s has no dependency '%s'", m->path, ed->name);
    }
    m->deps = xrealloc(m->deps, (m->n_deps + 1) * sizeof(m->deps[0]));
    m->deps[m->n_deps].name = xstrdup(ed->name);
    m->deps[m->n_deps].constraint = xstrdup(ed->constraint);
    m->deps[m->n_deps].line = 0;
    m->n_deps++;
    return 0;
}

int manifest_edit(const char *path, const char *text, size_t len, const struct manifest_edit *ed,
                  char **out, size_t *outlen, bool *comments_lost, struct err *e)
{
    struct manifest want, got;
    if (manifest_parse(path, text, len, &want, e) != 0) {
        return -1;
    }
    if (apply_to_model(&want, ed, e) != 0) {
        manifest_free(&want);
        return -1;
    }
    struct ydoc d;
    char *edited = NULL;
    size_t elen = 0;
    if (ydoc_load(&d, path, text, len, e) == 0) {
        edited = edit_in_place(&d, text, len, ed, &elen);
        ydoc_free(&d);
    }
    /* Keep the in-place edit only if it reads back as exactly what we want. */
    struct err ignored;
    if (edited != NULL && manifest_parse(path, edited, elen, &got, &ignored) == 0) {
        bool same = manifest_equal(&want, &got);
        manifest_free(&got);
        if (same) {
            manifest_free(&want);
            *out = edited;
            *outlen = elen;
            *comments_lost = false;
            return 0;
        }
    }
    free(edited);
    int rc = manifest_emit(&want, out, outlen, e);
    manifest_free(&want);
    *comments_lost = true;
    return rc;
}
