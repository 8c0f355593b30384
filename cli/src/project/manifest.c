#include "manifest.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bsp.h"
#include "fsutil.h"
#include "qemu.h"
#include "registry.h"
#include "semver.h"
#include "yamldoc.h"

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
    if (ydoc_str(d, v, k, &m->version, e) != 0) {
        return -1;
    }
    if (semver_parse(m->version, &sv, e) != 0) {
        return err_prefix(e, "%s:%lu: 'version': ", d->path, ydoc_line(v));
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

static int f_kernel(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    struct manifest *m = o;
    m->kernel_line = ydoc_line(v);
    return constraint_read(d, v, k, &m->kernel, NULL, e);
}

YDOC_STR_FIELD(g_git, struct dependency, git)
YDOC_STR_FIELD(g_tag, struct dependency, tag)
YDOC_STR_FIELD(g_branch, struct dependency, branch)
YDOC_STR_FIELD(g_rev, struct dependency, rev)
YDOC_STR_FIELD(g_subdir, struct dependency, subdir)

/* name: {git: URL, tag: T | branch: B | rev: COMMIT, subdir: S}: a package
 * straight from its repository, checked by the rules of every source. */
static int git_dependency(struct ydoc *d, yaml_node_t *v, const char *where, struct dependency *dep,
                          struct err *e)
{
    static const struct ydoc_field f[] = {
        {"git", true, g_git},  {"tag", false, g_tag},       {"branch", false, g_branch},
        {"rev", false, g_rev}, {"subdir", false, g_subdir},
    };
    if (ydoc_walk(d, v, where, f, sizeof(f) / sizeof(f[0]), dep, e) != 0) {
        return err_hint(e, "a git dependency is {git: URL, tag: TAG} (or branch: NAME, or rev: "
                           "a 40-digit commit id), see docs/project-files.md");
    }
    char why[512];
    int refs = (dep->tag != NULL) + (dep->branch != NULL) + (dep->rev != NULL);
    if (strcmp(dep->git, ".") == 0 || !git_location_valid(dep->git)) {
        ydoc_fail(d, v, e,
                  "'%s.git' is '%s'; give a URL (https://host/repo.git) or an absolute "
                  "path",
                  where, dep->git);
        return err_hint(e, "a relative path would depend on the folder cmrx runs in");
    }
    if (refs > 1) {
        ydoc_fail(d, v, e, "'%s': give one of 'tag', 'branch' and 'rev', not %d", where, refs);
        return err_hint(e, "the lock records the exact commit whichever you give");
    }
    if (source_problem(dep->git, dep->tag, dep->branch, dep->rev, dep->subdir, NULL, why,
                       sizeof(why))) {
        /* The rules name the lock's key; cmrx.yaml calls a commit 'rev'. */
        char *c = strstr(why, "'commit'");
        if (c != NULL) {
            ydoc_fail(d, v, e, "'%s.rev' must be a full 40-digit lower-case commit id", where);
        } else {
            ydoc_fail(d, v, e, "'%s': %s", where, why);
        }
        return err_hint(e, "see docs/project-files.md, Dependencies from git");
    }
    return 0;
}

static int f_registries(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    struct manifest *m = o;
    m->registries_line = ydoc_line(v);
    if (ydoc_is_null(v)) {
        return 0;
    }
    if (ydoc_str_list(d, v, k, &m->registries, &m->n_registries, e) != 0) {
        return err_hint(e, "e.g.\n  registries:\n    - https://example.com/registry.git");
    }
    for (size_t i = 0; i < m->n_registries; i++) {
        const char *r = m->registries[i];
        if (strcmp(r, "default") == 0) {
            ydoc_fail(d, v, e, "'%s[%zu]': the default registry is always used; do not list it", k,
                      i);
            return -1;
        }
        if (!path_is_url(r) && r[0] != '/') {
            ydoc_fail(d, v, e, "'%s[%zu]' is '%s'; give a git URL or an absolute path", k, i, r);
            return err_hint(e, "`cmrx add PKG --registry R` writes R as it should be");
        }
        for (size_t j = 0; j < i; j++) {
            if (strcmp(m->registries[j], r) == 0) {
                return ydoc_fail(d, v, e, "'%s': '%s' is listed twice", k, r);
            }
        }
    }
    return 0;
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
        int rc = vn != NULL && vn->type == YAML_MAPPING_NODE
                     ? git_dependency(d, vn, where, dep, e)
                     : constraint_read(d, vn, where, &dep->constraint, NULL, e);
        free(where);
        if (rc != 0) {
            return -1;
        }
    }
    return 0;
}

static int f_defines(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    struct manifest *m = o;
    return process_flag_list(d, v, k, false, &m->defines, &m->n_defines, e);
}

static int f_cflags(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    struct manifest *m = o;
    return process_flag_list(d, v, k, true, &m->cflags, &m->n_cflags, e);
}

static int bp_sources(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    struct board_process *p = o;
    return process_path_list(d, v, k, &p->sources, &p->n_sources, e);
}

static int bp_include_dirs(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    struct board_process *p = o;
    return process_path_list(d, v, k, &p->include_dirs, &p->n_include_dirs, e);
}

static int bp_defines(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    struct board_process *p = o;
    return process_flag_list(d, v, k, false, &p->defines, &p->n_defines, e);
}

static int bp_cflags(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    struct board_process *p = o;
    return process_flag_list(d, v, k, true, &p->cflags, &p->n_cflags, e);
}

static int bo_defines(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    struct board_override *b = o;
    return process_flag_list(d, v, k, false, &b->defines, &b->n_defines, e);
}

static int bo_cflags(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    struct board_override *b = o;
    return process_flag_list(d, v, k, true, &b->cflags, &b->n_cflags, e);
}

/* boards.B.processes: {P: {sources, include_dirs, defines, cflags}}. */
static int bo_processes(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    static const struct ydoc_field f[] = {{"sources", false, bp_sources},
                                          {"include_dirs", false, bp_include_dirs},
                                          {"defines", false, bp_defines},
                                          {"cflags", false, bp_cflags}};
    struct board_override *b = o;
    if (v == NULL || v->type != YAML_MAPPING_NODE) {
        return ydoc_fail(d, v, e, "'%s' must map process names to what they add on this board",
                         k);
    }
    b->procs = xcalloc((size_t)(v->data.mapping.pairs.top - v->data.mapping.pairs.start) + 1,
                       sizeof(*b->procs));
    for (yaml_node_pair_t *p = v->data.mapping.pairs.start; p < v->data.mapping.pairs.top; p++) {
        yaml_node_t *kn = ydoc_node(d, p->key);
        const char *name = ydoc_scalar(kn);
        for (size_t i = 0; name != NULL && i < b->n_procs; i++) {
            if (strcmp(b->procs[i].name, name) == 0) {
                return ydoc_fail(d, kn, e, "'%s': '%s' appears twice", k, name);
            }
        }
        struct board_process *bp = &b->procs[b->n_procs++];
        bp->name = xstrdup(name != NULL ? name : "");
        bp->line = ydoc_line(kn);
        char *where = xasprintf("%s.%s", k, bp->name);
        int rc = ydoc_walk(d, ydoc_node(d, p->value), where, f, sizeof(f) / sizeof(f[0]), bp, e);
        free(where);
        if (rc != 0) {
            return -1;
        }
    }
    return 0;
}

/* boards: {B: {defines, cflags, processes}}: what differs on board B. */
static int f_boards(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    static const struct ydoc_field f[] = {{"defines", false, bo_defines},
                                          {"cflags", false, bo_cflags},
                                          {"processes", false, bo_processes}};
    struct manifest *m = o;
    if (ydoc_is_null(v)) {
        return 0;
    }
    if (v->type != YAML_MAPPING_NODE) {
        ydoc_fail(d, v, e, "'%s' must map board names to what differs on them", k);
        return err_hint(e, "e.g.\n  boards:\n    qemu-netduinoplus2:\n      defines: [SLOW=1]");
    }
    m->boards = xcalloc((size_t)(v->data.mapping.pairs.top - v->data.mapping.pairs.start) + 1,
                        sizeof(*m->boards));
    for (yaml_node_pair_t *p = v->data.mapping.pairs.start; p < v->data.mapping.pairs.top; p++) {
        yaml_node_t *kn = ydoc_node(d, p->key);
        const char *name = ydoc_scalar(kn);
        if (name == NULL || !name_is_valid(name)) {
            return ydoc_fail(d, kn, e, "'%s': '%s' is not a board name", k, name ? name : "?");
        }
        if (manifest_board(m, name) != NULL) {
            return ydoc_fail(d, kn, e, "'%s': '%s' appears twice", k, name);
        }
        struct board_override *b = &m->boards[m->n_boards++];
        b->board = xstrdup(name);
        b->line = ydoc_line(kn);
        char *where = xasprintf("%s.%s", k, name);
        int rc = ydoc_walk(d, ydoc_node(d, p->value), where, f, sizeof(f) / sizeof(f[0]), b, e);
        free(where);
        if (rc != 0) {
            return -1;
        }
    }
    return 0;
}

static int f_processes(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    struct manifest *m = o;
    return process_list_parse(d, v, k, PROC_WITH_SOURCES, &m->procs, &m->n_procs, e);
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
        /* '/': fs's owners name directories ("/logs:logger"). */
        if (!isalnum((unsigned char)*s) && strchr("_.:+-/", *s) == NULL) {
            return false;
        }
    }
    return true;
}

/* A setting's value: a word, or a list of words (a CMake list, "a;b").
 * @return it (malloc), or NULL if it is neither. */
static char *setting_value(struct ydoc *d, yaml_node_t *v)
{
    const char *word = ydoc_scalar(v);
    if (word != NULL) {
        return setting_value_valid(word) ? xstrdup(word) : NULL;
    }
    if (v->type != YAML_SEQUENCE_NODE ||
        v->data.sequence.items.start == v->data.sequence.items.top) {
        return NULL;
    }
    char *list = NULL;
    for (yaml_node_item_t *i = v->data.sequence.items.start; i < v->data.sequence.items.top; i++) {
        word = ydoc_scalar(yaml_document_get_node(&d->doc, *i));
        if (word == NULL || !setting_value_valid(word)) {
            free(list);
            return NULL;
        }
        char *more = list ? xasprintf("%s;%s", list, word) : xstrdup(word);
        free(list);
        list = more;
    }
    return list;
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
            if (key == NULL || !setting_key_valid(key)) {
                return ydoc_fail(d, qk, e,
                                 "'%s.%s': '%s' is not a setting name (lower-case letters, "
                                 "digits and '_')",
                                 k, comp, key ? key : "?");
            }
            char *val = setting_value(d, qv);
            if (val == NULL) {
                return ydoc_fail(d, qv, e,
                                 "'%s.%s.%s' must be a number, a word (letters, digits, "
                                 "'_', '.', ':', '+', '-', '/') or a list of words",
                                 k, comp, key);
            }
            for (size_t i = 0; i < m->n_settings; i++) {
                if (strcmp(m->settings[i].component, comp) == 0 &&
                    strcmp(m->settings[i].key, key) == 0) {
                    free(val);
                    return ydoc_fail(d, qk, e, "'%s.%s.%s' appears twice", k, comp, key);
                }
            }
            m->settings = xrealloc(m->settings, (m->n_settings + 1) * sizeof(*m->settings));
            struct setting *st = &m->settings[m->n_settings++];
            st->component = xstrdup(comp);
            st->key = xstrdup(key);
            st->list = qv->type == YAML_SEQUENCE_NODE;
            st->value = val;
            st->line = ydoc_line(qk);
        }
    }
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
        if (qemu_forward_parse(m->forwards[i], &udp, &h, &g) != 0) {
            ydoc_fail(d, v, e, "'%s': '%s' is not a port forward", k, m->forwards[i]);
            return err_hint(e, "write tcp:HOST:BOARD or udp:HOST:BOARD with ports 1..65535 "
                               "(HOST 0: any free port), e.g. tcp:8080:80");
        }
        for (size_t j = 0; j < i; j++) {
            qemu_forward_parse(m->forwards[j], &udp2, &h2, &g2);
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
        {"registries", false, f_registries},
        {"boards", false, f_boards},
        {"defines", false, f_defines},
        {"cflags", false, f_cflags},
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
    for (size_t i = 0; rc == 0 && i < m->n_boards; i++) {
        for (size_t j = 0; rc == 0 && j < m->boards[i].n_procs; j++) {
            const struct board_process *bp = &m->boards[i].procs[j];
            bool known = false;
            for (size_t k = 0; k < m->n_procs; k++) {
                known = known || strcmp(m->procs[k].name, bp->name) == 0;
            }
            if (!known) {
                rc = err_set(e, "%s:%lu: 'boards.%s.processes': no process '%s' in 'processes'",
                             path, bp->line, m->boards[i].board, bp->name);
                err_hint(e, "name a process of cmrx.yaml; a board adds sources, include_dirs, "
                            "defines and cflags to processes, it does not make new ones");
            }
        }
    }
    if (rc != 0) {
        manifest_free(m);
        m->path = path;
    }
    return rc;
}

const struct board_override *manifest_board(const struct manifest *m, const char *board)
{
    for (size_t i = 0; i < m->n_boards; i++) {
        if (strcmp(m->boards[i].board, board) == 0) {
            return &m->boards[i];
        }
    }
    return NULL;
}

const struct board_process *manifest_board_process(const struct manifest *m, const char *board,
                                                   const char *proc)
{
    const struct board_override *b = manifest_board(m, board);
    for (size_t i = 0; b != NULL && i < b->n_procs; i++) {
        if (strcmp(b->procs[i].name, proc) == 0) {
            return &b->procs[i];
        }
    }
    return NULL;
}

static void dependency_free(struct dependency *d)
{
    free(d->name);
    free(d->constraint);
    free(d->git);
    free(d->tag);
    free(d->branch);
    free(d->rev);
    free(d->subdir);
}

static void board_free(struct board_override *b)
{
    free(b->board);
    strv_free(b->defines, b->n_defines);
    strv_free(b->cflags, b->n_cflags);
    for (size_t j = 0; j < b->n_procs; j++) {
        struct board_process *p = &b->procs[j];
        free(p->name);
        strv_free(p->sources, p->n_sources);
        strv_free(p->include_dirs, p->n_include_dirs);
        strv_free(p->defines, p->n_defines);
        strv_free(p->cflags, p->n_cflags);
    }
    free(b->procs);
}

void manifest_free(struct manifest *m)
{
    for (size_t i = 0; i < m->n_boards; i++) {
        board_free(&m->boards[i]);
    }
    free(m->boards);
    free(m->name);
    free(m->version);
    free(m->description);
    free(m->board);
    free(m->kernel);
    for (size_t i = 0; i < m->n_deps; i++) {
        dependency_free(&m->deps[i]);
    }
    free(m->deps);
    strv_free(m->registries, m->n_registries);
    strv_free(m->defines, m->n_defines);
    strv_free(m->cflags, m->n_cflags);
    process_list_free(m->procs, m->n_procs);
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

/* A setting as cmrx.yaml wrote it: a word, or a list of words. */
static void emit_setting(struct yemit *y, const struct setting *st)
{
    if (!st->list) {
        yemit_kv(y, st->key, st->value);
        return;
    }
    char *copy = xstrdup(st->value);
    char **words = NULL;
    size_t n = 0;
    for (char *w = strtok(copy, ";"); w != NULL; w = strtok(NULL, ";")) {
        words = xrealloc(words, (n + 1) * sizeof(*words));
        words[n++] = w;
    }
    yemit_klist(y, st->key, words, n);
    free(words);
    free(copy);
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
            const struct dependency *dp = &m->deps[i];
            if (dp->git == NULL) {
                yemit_kv(&y, dp->name, dp->constraint);
                continue;
            }
            yemit_str(&y, dp->name);
            yemit_map(&y, true);
            yemit_kv(&y, "git", dp->git);
            const char *keys[] = {"tag", "branch", "rev", "subdir"};
            const char *vals[] = {dp->tag, dp->branch, dp->rev, dp->subdir};
            for (size_t j = 0; j < 4; j++) {
                if (vals[j] != NULL) {
                    yemit_kv(&y, keys[j], vals[j]);
                }
            }
            yemit_map_end(&y);
        }
        yemit_map_end(&y);
    }
    if (m->defines != NULL) {
        yemit_klist(&y, "defines", m->defines, m->n_defines);
    }
    if (m->cflags != NULL) {
        yemit_klist(&y, "cflags", m->cflags, m->n_cflags);
    }
    if (m->n_registries > 0) {
        yemit_klist(&y, "registries", m->registries, m->n_registries);
    }
    if (m->n_boards > 0) {
        yemit_str(&y, "boards");
        yemit_map(&y, false);
    }
    for (size_t i = 0; i < m->n_boards; i++) {
        const struct board_override *b = &m->boards[i];
        yemit_str(&y, b->board);
        yemit_map(&y, false);
        if (b->defines != NULL) {
            yemit_klist(&y, "defines", b->defines, b->n_defines);
        }
        if (b->cflags != NULL) {
            yemit_klist(&y, "cflags", b->cflags, b->n_cflags);
        }
        if (b->procs != NULL) {
            yemit_str(&y, "processes");
            yemit_map(&y, false);
            for (size_t j = 0; j < b->n_procs; j++) {
                const struct board_process *p = &b->procs[j];
                yemit_str(&y, p->name);
                yemit_map(&y, false);
                const char *keys[] = {"sources", "include_dirs", "defines", "cflags"};
                char **const lists[] = {p->sources, p->include_dirs, p->defines, p->cflags};
                const size_t ns[] = {p->n_sources, p->n_include_dirs, p->n_defines, p->n_cflags};
                for (size_t l = 0; l < 4; l++) {
                    if (lists[l] != NULL) {
                        yemit_klist(&y, keys[l], lists[l], ns[l]);
                    }
                }
                yemit_map_end(&y);
            }
            yemit_map_end(&y);
        }
        yemit_map_end(&y);
    }
    if (m->n_boards > 0) {
        yemit_map_end(&y);
    }
    if (m->n_procs > 0) {
        yemit_str(&y, "processes");
        yemit_seq(&y, false);
        for (size_t i = 0; i < m->n_procs; i++) {
            process_emit(&y, &m->procs[i]);
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
                emit_setting(&y, &m->settings[j]);
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
        yemit_klist(&y, "forward", m->forwards, m->n_forwards);
        yemit_map_end(&y);
    }
    return yemit_end(&y, NULL, out, len, e);
}

bool manifest_equal(const struct manifest *a, const struct manifest *b)
{
    if (!str_equal(a->name, b->name) || !str_equal(a->version, b->version) ||
        !str_equal(a->description, b->description) || !str_equal(a->board, b->board) ||
        !str_equal(a->kernel, b->kernel) || a->n_deps != b->n_deps || a->n_procs != b->n_procs ||
        a->n_registries != b->n_registries) {
        return false;
    }
    for (size_t i = 0; i < a->n_deps; i++) {
        const struct dependency *x = &a->deps[i], *y = &b->deps[i];
        if (!str_equal(x->name, y->name) || !str_equal(x->constraint, y->constraint) ||
            !str_equal(x->git, y->git) || !str_equal(x->tag, y->tag) ||
            !str_equal(x->branch, y->branch) || !str_equal(x->rev, y->rev) ||
            !str_equal(x->subdir, y->subdir)) {
            return false;
        }
    }
    if (!strv_equal(a->registries, a->n_registries, b->registries, b->n_registries) ||
        !strv_equal(a->defines, a->n_defines, b->defines, b->n_defines) ||
        !strv_equal(a->cflags, a->n_cflags, b->cflags, b->n_cflags) || a->n_boards != b->n_boards) {
        return false;
    }
    for (size_t i = 0; i < a->n_boards; i++) {
        const struct board_override *x = &a->boards[i], *y = &b->boards[i];
        if (!str_equal(x->board, y->board) || x->n_procs != y->n_procs ||
            !strv_equal(x->defines, x->n_defines, y->defines, y->n_defines) ||
            !strv_equal(x->cflags, x->n_cflags, y->cflags, y->n_cflags)) {
            return false;
        }
        for (size_t j = 0; j < x->n_procs; j++) {
            const struct board_process *p = &x->procs[j], *q = &y->procs[j];
            if (!str_equal(p->name, q->name) ||
                !strv_equal(p->sources, p->n_sources, q->sources, q->n_sources) ||
                !strv_equal(p->include_dirs, p->n_include_dirs, q->include_dirs,
                            q->n_include_dirs) ||
                !strv_equal(p->defines, p->n_defines, q->defines, q->n_defines) ||
                !strv_equal(p->cflags, p->n_cflags, q->cflags, q->n_cflags)) {
                return false;
            }
        }
    }
    for (size_t i = 0; i < a->n_procs; i++) {
        if (!process_equal(&a->procs[i], &b->procs[i])) {
            return false;
        }
    }
    if (a->n_settings != b->n_settings ||
        !strv_equal(a->forwards, a->n_forwards, b->forwards, b->n_forwards)) {
        return false;
    }
    for (size_t i = 0; i < a->n_settings; i++) {
        if (!str_equal(a->settings[i].component, b->settings[i].component) ||
            !str_equal(a->settings[i].key, b->settings[i].key) ||
            !str_equal(a->settings[i].value, b->settings[i].value) ||
            a->settings[i].list != b->settings[i].list) {
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
                  s[0] == '=' || s[0] == '_' || s[0] == '/') &&
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

/* A new item at the end of block list 'registries:' (or the list itself). */
static char *add_registry_in_place(struct ydoc *d, const char *text, size_t len, const char *reg,
                                   size_t *outlen)
{
    yaml_node_t *v = ydoc_map_get(d, ydoc_root(d), "registries", NULL);
    char *val = yaml_scalar_text(reg);
    char *out = NULL;
    if (v == NULL) {
        char *add = xasprintf("registries:\n  - %s\n", val);
        out = append_text(text, len, add, outlen);
        free(add);
    } else if (v->type == YAML_SEQUENCE_NODE &&
               v->data.sequence.style != YAML_FLOW_SEQUENCE_STYLE &&
               v->data.sequence.items.top > v->data.sequence.items.start) {
        yaml_node_t *last = ydoc_node(d, v->data.sequence.items.top[-1]);
        yaml_node_t *first = ydoc_node(d, v->data.sequence.items.start[0]);
        size_t ve = mark_offset(text, len, &last->end_mark);
        if (rest_of_line_blank(text, len, ve) && first->start_mark.column >= 2) {
            size_t at = line_start(text, len, last->end_mark.line + 1);
            char *ins =
                xasprintf("%s%*s- %s\n", (at == len && len && text[len - 1] != '\n') ? "\n" : "",
                          (int)first->start_mark.column - 2, "", val);
            out = splice(text, len, at, at, ins, outlen);
            free(ins);
        }
    }
    free(val);
    return out; /* NULL (an empty or flow list): re-emitted */
}

static char *edit_in_place(struct ydoc *d, const char *text, size_t len,
                           const struct manifest_edit *ed, size_t *outlen)
{
    yaml_node_t *root = ydoc_root(d);
    if (ed->kind == EDIT_ADD_REGISTRY) {
        return add_registry_in_place(d, text, len, ed->name, outlen);
    }
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
    if (ed->kind == EDIT_ADD_REGISTRY) {
        m->registries = xrealloc(m->registries, (m->n_registries + 1) * sizeof(char *));
        m->registries[m->n_registries++] = xstrdup(ed->name);
        return 0;
    }
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
            char *name = xstrdup(ed->name);
            dependency_free(&m->deps[i]);
            m->deps[i] = (struct dependency){.name = name, .constraint = xstrdup(ed->constraint)};
        } else {
            dependency_free(&m->deps[i]);
            memmove(&m->deps[i], &m->deps[i + 1], (m->n_deps - i - 1) * sizeof(m->deps[0]));
            m->n_deps--;
        }
        return 0;
    }
    if (ed->kind == EDIT_REMOVE_DEP) {
        return err_set(e, "%s has no dependency '%s'", m->path, ed->name);
    }
    m->deps = xrealloc(m->deps, (m->n_deps + 1) * sizeof(m->deps[0]));
    m->deps[m->n_deps++] =
        (struct dependency){.name = xstrdup(ed->name), .constraint = xstrdup(ed->constraint)};
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
