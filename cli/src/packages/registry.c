#include "registry.h"

#include <ctype.h>
#include <git2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bsp.h"
#include "checksum.h"
#include "fetch.h"
#include "ui.h"
#include "fsutil.h"
#include "limits.h"
#include "yamldoc.h"
#include "sdk.h"

static const char *const kind_names[] = {"kernel", "bsp", "component", "template", "library"};

const char *pkg_kind_name(enum pkg_kind k)
{
    return kind_names[k];
}

const char *pkg_kind_list(void)
{
    return "kernel, bsp, component, template or library";
}

bool pkg_kind_is_dependency(enum pkg_kind k)
{
    return k == KIND_COMPONENT || k == KIND_LIBRARY;
}

int pkg_kind_parse(const char *s, enum pkg_kind *out)
{
    for (size_t i = 0; s != NULL && i < sizeof(kind_names) / sizeof(kind_names[0]); i++) {
        if (strcmp(s, kind_names[i]) == 0) {
            *out = (enum pkg_kind)i;
            return 0;
        }
    }
    return -1;
}

char *registry_choose(const char *flag, const char *fallback)
{
    const char *env = getenv("CMRX_REGISTRY");
    if (flag != NULL && *flag != '\0') {
        return xstrdup(flag);
    }
    if (env != NULL && *env != '\0') {
        return xstrdup(env);
    }
    return xstrdup(fallback != NULL && *fallback != '\0' ? fallback : "default");
}

/* ---- validation --------------------------------------------------------- */

/* "file:line: where: message" with the hint every index problem shares. */
static int rfail(struct ydoc *d, const yaml_node_t *n, const char *where, struct err *e,
                 const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int rfail(struct ydoc *d, const yaml_node_t *n, const char *where, struct err *e,
                 const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    ydoc_fail(d, n, e, "%s: %s", where, msg);
    return err_hint(e, "fix the registry index (schema: docs/registry.md), or choose another "
                       "registry with --registry");
}

bool git_location_valid(const char *g)
{
    return strcmp(g, ".") == 0 || g[0] == '/' || path_is_url(g);
}

static bool ref_name_ok(const char *prefix, const char *name)
{
    char *full = xasprintf("%s%s", prefix, name);
    int valid = 0;
    bool ok = git_reference_name_is_valid(&valid, full) == 0 && valid;
    free(full);
    return ok;
}

bool source_problem(const char *git, const char *tag, const char *branch, const char *commit,
                    const char *subdir, const char *checksum, char *why, size_t n)
{
    if (!git_location_valid(git)) {
        snprintf(why, n,
                 "'git' is '%s'; use \".\" (this registry's repository), an absolute path, or "
                 "a URL such as https://host/repo.git",
                 git);
    } else if (tag != NULL && branch != NULL) {
        snprintf(why, n, "give 'tag' or 'branch', not both");
    } else if (tag != NULL && !ref_name_ok("refs/tags/", tag)) {
        snprintf(why, n, "'tag' '%s' is not a valid git tag name", tag);
    } else if (branch != NULL && strcmp(branch, "HEAD") != 0 &&
               !ref_name_ok("refs/heads/", branch)) {
        snprintf(why, n, "'branch' '%s' is not a valid git branch name", branch);
    } else if (commit != NULL && !checksum_is_hex(commit)) {
        snprintf(why, n, "'commit' must be a full 40-digit lower-case commit id");
    } else if (commit != NULL && branch != NULL) {
        snprintf(why, n, "a pinned 'commit' cannot follow a 'branch'; give a tag or neither");
    } else if (checksum != NULL && !checksum_is_hex(checksum)) {
        snprintf(why, n, "'checksum' must be a 40-digit lower-case git tree id");
    } else if (subdir != NULL && !path_is_safe_relative(subdir)) {
        snprintf(why, n,
                 "'subdir' is '%s'; it must be a relative path inside the repository, without "
                 "'..'",
                 subdir);
    } else {
        return false;
    }
    return true;
}

static int q_kernel(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    struct reg_version *rv = o;
    rv->has_kernel = true;
    return constraint_read(d, v, k, NULL, &rv->kernel, e);
}

static int q_cpus(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    struct reg_version *rv = o;
    if (ydoc_str_list(d, v, k, &rv->cpus, &rv->n_cpus, e) != 0) {
        return -1;
    }
    if (rv->n_cpus == 0) {
        return ydoc_fail(d, v, e, "'%s' must be a non-empty list of CPU names", k);
    }
    for (size_t i = 0; i < rv->n_cpus; i++) {
        if (cpu_find(rv->cpus[i]) == NULL) {
            return ydoc_fail(d, v, e, "'%s': '%s' is not a CPU the SDK knows (%s)", k, rv->cpus[i],
                             cpu_list());
        }
    }
    return 0;
}

static int q_dependencies(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    struct reg_version *rv = o;
    if (v == NULL || v->type != YAML_MAPPING_NODE) {
        return ydoc_fail(d, v, e, "'%s' must be an object {\"name\": \"constraint\"}", k);
    }
    rv->deps = xcalloc((size_t)(v->data.mapping.pairs.top - v->data.mapping.pairs.start),
                       sizeof(*rv->deps));
    for (yaml_node_pair_t *p = v->data.mapping.pairs.start; p < v->data.mapping.pairs.top; p++) {
        yaml_node_t *kn = ydoc_node(d, p->key);
        const char *name = ydoc_scalar(kn);
        if (!name_is_valid(name)) {
            return ydoc_fail(d, kn, e, "'%s': '%s' is not a valid package name", k,
                             name ? name : "?");
        }
        char *where = xasprintf("%s.%s", k, name);
        struct reg_dep *dep = &rv->deps[rv->n_deps];
        int rc = constraint_read(d, ydoc_node(d, p->value), where, NULL, &dep->c, e);
        free(where);
        if (rc != 0) {
            return -1;
        }
        dep->name = xstrdup(name);
        rv->n_deps++;
    }
    return 0;
}

/* A requirement on the board's peripherals: NAME, NAME:DRIVER|DRIVER...,
 * or *:DRIVER|... (any peripheral of one of those drivers). */
static bool periph_req_valid(const char *s)
{
    const char *colon = strchr(s, ':');
    size_t n = colon ? (size_t)(colon - s) : strlen(s);
    char name[BSP_PERIPH_NAME_MAX + 1];
    if (n == 0 || n > BSP_PERIPH_NAME_MAX) {
        return false;
    }
    memcpy(name, s, n);
    name[n] = '\0';
    if (strcmp(name, "*") != 0 && !bsp_peripheral_name_valid(name)) {
        return false;
    }
    if (colon == NULL) {
        return strcmp(name, "*") != 0;
    }
    for (const char *c = colon + 1, *start = c;; c++) {
        if (*c == '|' || *c == '\0') {
            if (c == start) {
                return false; /* an empty driver */
            }
            if (*c == '\0') {
                return true;
            }
            start = c + 1;
        } else if (!islower((unsigned char)*c) && !isdigit((unsigned char)*c) && *c != '-' &&
                   *c != '_') {
            return false;
        }
    }
}

static int q_peripherals(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    struct reg_version *rv = o;
    if (ydoc_str_list(d, v, k, &rv->periphs, &rv->n_periphs, e) != 0) {
        return -1;
    }
    for (size_t i = 0; i < rv->n_periphs; i++) {
        if (!periph_req_valid(rv->periphs[i])) {
            return ydoc_fail(d, v, e,
                             "'%s': '%s' is not NAME, NAME:DRIVER|DRIVER... or *:DRIVER|... "
                             "(e.g. timer0:cmsdk-timer|stm32-tim)",
                             k, rv->periphs[i]);
        }
    }
    return 0;
}

static int v_requires(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    static const struct ydoc_field f[] = {{"kernel", false, q_kernel},
                                          {"cpus", false, q_cpus},
                                          {"peripherals", false, q_peripherals},
                                          {"dependencies", false, q_dependencies}};
    return ydoc_walk(d, v, k, f, 4, o, e);
}

/* Whether peripheral @p p has one of the drivers of @p list ("a|b"). */
static bool driver_in(const struct bsp_peripheral *p, const char *list)
{
    size_t n = strlen(p->driver);
    for (const char *c = list; c != NULL && *c != '\0';) {
        const char *end = strchr(c, '|');
        size_t len = end ? (size_t)(end - c) : strlen(c);
        if (len == n && strncmp(c, p->driver, n) == 0) {
            return true;
        }
        c = end ? end + 1 : NULL;
    }
    return false;
}

bool registry_board_fits(const struct reg_version *v, const struct bsp *b, char *why, size_t n)
{
    for (size_t i = 0; i < v->n_periphs; i++) {
        const char *req = v->periphs[i];
        const char *colon = strchr(req, ':');
        size_t len = colon ? (size_t)(colon - req) : strlen(req);
        bool any = len == 1 && req[0] == '*', ok = false;
        for (size_t j = 0; !ok && j < b->n_peripherals; j++) {
            const struct bsp_peripheral *p = &b->peripherals[j];
            bool named = any || (strlen(p->name) == len && strncmp(p->name, req, len) == 0);
            ok = named && (colon == NULL || driver_in(p, colon + 1));
        }
        if (!ok) {
            char drivers[256] = "";
            if (colon != NULL) {
                snprintf(drivers, sizeof(drivers), " driven by %s", colon + 1);
                for (char *c = drivers; *c; c++) {
                    *c = *c == '|' ? '/' : *c;
                }
            }
            if (any) {
                snprintf(why, n, "a peripheral%s, which board %s does not have", drivers, b->name);
            } else {
                snprintf(why, n, "peripheral '%.*s'%s, which board %s does not have", (int)len,
                         req, drivers, b->name);
            }
            return false;
        }
    }
    return true;
}

/* The first control character of @p s (ui_control_len()), or NULL. */
static const unsigned char *control_char(const char *s)
{
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        if (ui_control_len(c) != 0) {
            return c;
        }
    }
    return NULL;
}

/* A string of the index. Its text reaches terminals (search, info,
 * messages), where control characters could clear the screen or overwrite
 * a message with a forged one: refused. */
static int reg_str(struct ydoc *d, yaml_node_t *v, const char *k, char **out, struct err *e)
{
    if (ydoc_str(d, v, k, out, e) != 0) {
        return -1;
    }
    const unsigned char *c = control_char(*out);
    if (c != NULL) {
        return ydoc_fail(d, v, e,
                         "'%s' holds a control character (\\x%02x); index text is shown on "
                         "terminals, where it could rewrite what cmrx prints",
                         k, c[0] == 0xc2 ? c[1] : c[0]);
    }
    return 0;
}

#define STR_FIELD(fn, type, member)                                                                \
    static int fn(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)           \
    {                                                                                              \
        return reg_str(d, v, k, &((type *)o)->member, e);                                          \
    }
STR_FIELD(v_version, struct reg_version, version)
STR_FIELD(v_git, struct reg_version, git)
STR_FIELD(v_tag, struct reg_version, tag)
STR_FIELD(v_branch, struct reg_version, branch)
STR_FIELD(v_commit, struct reg_version, commit)
STR_FIELD(v_subdir, struct reg_version, subdir)
STR_FIELD(v_checksum, struct reg_version, checksum)
STR_FIELD(v_cpu, struct reg_version, cpu)
STR_FIELD(v_qemu, struct reg_version, qemu)
STR_FIELD(v_pyocd, struct reg_version, pyocd)
STR_FIELD(p_name, struct reg_package, name)
STR_FIELD(p_description, struct reg_package, description)
STR_FIELD(p_license, struct reg_package, license)
STR_FIELD(p_homepage, struct reg_package, homepage)

/* What the keys of a version say together. */
static int check_version(struct ydoc *d, yaml_node_t *n, const char *where, struct reg_version *v,
                         struct err *e)
{
    const struct reg_package *p = v->pkg;
    if (semver_parse(v->version, &v->v, e) != 0) {
        return err_prefix(e, "%s:%lu: %s: 'version': ", d->path, ydoc_line(n), where);
    }
    char why[256];
    if (source_problem(v->git, v->tag, v->branch, v->commit, v->subdir, v->checksum, why,
                       sizeof(why))) {
        return rfail(d, n, where, e, "%s", why);
    }
    if (v->tag == NULL && v->branch == NULL && v->commit == NULL) {
        v->tag = xstrdup(v->version); /* the usual case: tag "1.2.0" */
    }
    if (p->kind == KIND_BSP) {
        if (v->cpu == NULL) {
            return rfail(d, n, where, e, "missing key 'cpu' (every board names its CPU)");
        }
        if (cpu_find(v->cpu) == NULL) {
            return rfail(d, n, where, e, "'cpu' '%s' is not a CPU the SDK knows (%s)", v->cpu,
                         cpu_list());
        }
    } else if (v->cpu || v->qemu || v->pyocd) {
        return rfail(d, n, where, e, "'cpu', 'qemu' and 'pyocd' are only for packages of kind bsp");
    }
    return 0;
}

static int cmp_versions(const void *a, const void *b)
{
    return semver_compare(&((const struct reg_version *)b)->v, &((const struct reg_version *)a)->v);
}

static int p_kind(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    if (pkg_kind_parse(ydoc_scalar(v), &((struct reg_package *)o)->kind) != 0 ||
        v->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
        return ydoc_fail(d, v, e, "'%s' must be %s", k, pkg_kind_list());
    }
    return 0;
}

static int p_versions(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    static const struct ydoc_field f[] = {
        {"version", true, v_version},    {"git", true, v_git},
        {"tag", false, v_tag},           {"branch", false, v_branch},
        {"commit", false, v_commit},     {"subdir", false, v_subdir},
        {"checksum", false, v_checksum}, {"requires", false, v_requires},
        {"cpu", false, v_cpu},           {"qemu", false, v_qemu},
        {"pyocd", false, v_pyocd},
    };
    struct reg_package *p = o;
    long n = ydoc_seq(d, v, k, "a non-empty list", 1, (size_t)-1, e);
    p->versions = xcalloc(n > 0 ? (size_t)n : 1, sizeof(*p->versions));
    for (size_t i = 0; n >= 0 && i < (size_t)n; i++) {
        yaml_node_t *item = ydoc_item(d, v, i);
        struct reg_version *rv = &p->versions[p->n_versions++];
        rv->pkg = p;
        char *where = xasprintf("%s[%zu]", k, i);
        int rc = ydoc_walk(d, item, where, f, sizeof(f) / sizeof(f[0]), rv, e);
        if (rc == 0) {
            rc = check_version(d, item, where, rv, e);
        }
        for (size_t j = 0; rc == 0 && j < i; j++) {
            if (semver_compare(&p->versions[j].v, &rv->v) == 0) {
                rc = rfail(d, item, where, e, "version %s is listed twice", rv->version);
            }
        }
        free(where);
        if (rc != 0) {
            return -1;
        }
    }
    return n < 0 ? -1 : 0;
}

static int t_packages(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    static const struct ydoc_field f[] = {
        {"name", true, p_name},
        {"kind", true, p_kind},
        {"description", true, p_description},
        {"license", false, p_license},
        {"homepage", false, p_homepage},
        {"versions", true, p_versions},
    };
    struct registry *r = o;
    long n = ydoc_seq(d, v, k, "a list of packages", 0, (size_t)-1, e);
    r->pkgs = xcalloc(n > 0 ? (size_t)n : 1, sizeof(*r->pkgs));
    for (size_t i = 0; n >= 0 && i < (size_t)n; i++) {
        yaml_node_t *item = ydoc_item(d, v, i);
        const char *name = ydoc_scalar(ydoc_map_get(d, item, "name", NULL));
        char *where = xasprintf("%s[%zu]%s%s%s", k, r->n_pkgs, name ? " (" : "", name ? name : "",
                                name ? ")" : "");
        struct reg_package *p = &r->pkgs[r->n_pkgs++];
        int rc = ydoc_walk(d, item, where, f, sizeof(f) / sizeof(f[0]), p, e);
        if (rc == 0 && !name_is_valid(p->name)) {
            rc = rfail(d, item, where, e,
                       "'name' '%s' is not a valid package name (lower case letters, digits, '-', "
                       "'_', '.'; no '/' or '..')",
                       p->name);
        }
        if (rc == 0 && (p->kind == KIND_KERNEL) != (strcmp(p->name, "kernel") == 0)) {
            rc = rfail(d, item, where, e,
                       "the package named 'kernel' is the one package of kind kernel");
        }
        for (size_t j = 0; rc == 0 && j < i; j++) {
            if (strcmp(r->pkgs[j].name, p->name) == 0) {
                rc = rfail(d, item, where, e, "package '%s' is listed twice", p->name);
            }
        }
        free(where);
        if (rc != 0) {
            return -1;
        }
        qsort(p->versions, p->n_versions, sizeof(*p->versions), cmp_versions);
    }
    return n < 0 ? -1 : 0;
}

static int t_schema(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    uint32_t schema;
    (void)o;
    if (ydoc_u32(d, v, k, 1, 0xffffffffu, &schema, e) != 0 || schema != 1) {
        ydoc_fail(d, v, e, "'%s' must be 1 (this cmrx reads index schema 1)", k);
        return err_hint(e, v != NULL && ydoc_scalar(v) && strcmp(ydoc_scalar(v), "1") > 0
                               ? "the index is newer than this cmrx: update cmrx"
                               : "fix the registry index (schema: docs/registry.md)");
    }
    return 0;
}

static int t_repository(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    struct registry *r = o;
    if (reg_str(d, v, k, &r->repository, e) != 0) {
        return -1;
    }
    if (!path_is_url(r->repository)) {
        return rfail(d, v, k, e,
                     "'%s' is not a URL; it names where the repository holding this index is "
                     "published (e.g. https://host/sdk.git), for locks made from it",
                     r->repository);
    }
    return 0;
}

static int t_description(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    char *text = NULL;
    (void)o;
    int rc = reg_str(d, v, k, &text, e);
    free(text);
    return rc;
}

/* Dependencies must name components or libraries: of this index (@p stack
 * false: a name it does not list may come from another registry of the
 * stack), or of any registry of the stack. */
static int check_links(const char *file, const struct registry *r, bool stack, struct err *e)
{
    for (size_t i = 0; i < r->n_pkgs; i++) {
        const struct reg_package *p = &r->pkgs[i];
        for (size_t j = 0; j < p->n_versions; j++) {
            const struct reg_version *v = &p->versions[j];
            for (size_t k = 0; k < v->n_deps; k++) {
                const struct reg_package *dp = registry_find(r, v->deps[k].name);
                const char *why = dp == NULL && stack ? "'%s', which no registry lists"
                                  : dp == NULL            ? NULL
                                  : !pkg_kind_is_dependency(dp->kind)
                                      ? "'%s', which is not a component or a library"
                                  : dp == p ? "itself%.0s"
                                            : NULL;
                if (why != NULL) {
                    char what[200];
                    snprintf(what, sizeof(what), why, v->deps[k].name);
                    err_set(e, "%s: package '%s' version %s depends on %s",
                            file != NULL ? file : p->src->index_name, p->name, v->version, what);
                    return err_hint(e, "dependencies are components and libraries of this "
                                       "registry or of another one stacked with it (use "
                                       "requires.kernel for the kernel)");
                }
            }
        }
    }
    return 0;
}

int registry_parse(const char *index_name, const char *json, size_t len, struct registry *r,
                   struct err *e)
{
    static const struct ydoc_field top[] = {
        {"schema", true, t_schema},
        {"description", false, t_description},
        {"repository", false, t_repository},
        {"packages", true, t_packages},
    };
    struct ydoc d;
    memset(r, 0, sizeof(*r));
    if (ydoc_load_json(&d, index_name, json, len, e) != 0) {
        return err_hint(e, "fix the JSON syntax (a missing comma, quote or bracket), or choose "
                           "another registry with --registry");
    }
    int rc = ydoc_walk(&d, ydoc_root(&d), "", top, sizeof(top) / sizeof(top[0]), r, e);
    ydoc_free(&d);
    if (rc == 0) {
        rc = check_links(index_name, r, false, e);
    }
    if (rc != 0) {
        if (e->hint[0] == '\0') {
            err_hint(e, "fix the registry index (schema: docs/registry.md), or choose another "
                        "registry with --registry");
        }
        registry_free(r);
        return rc;
    }
    struct reg_source *src = xcalloc(1, sizeof(*src));
    src->index_name = xstrdup(index_name);
    src->repository = xstrdup(r->repository);
    r->srcs = xcalloc(1, sizeof(*r->srcs));
    r->srcs[r->n_srcs++] = src;
    for (size_t i = 0; i < r->n_pkgs; i++) {
        r->pkgs[i].src = src;
    }
    return 0;
}

/* ---- locating the index ------------------------------------------------- */

/* Where a registry folder or repository keeps its index. */
static const char *const index_names[] = {"index.json", "registry/index.json"};

/* The working folder of the git repository holding @p dir, or NULL. */
static char *repo_of(const char *dir)
{
    git_buf found = {0};
    git_repository *repo = NULL;
    char *out = NULL;
    if (git_repository_discover(&found, dir, 0, NULL) == 0 &&
        git_repository_open(&repo, found.ptr) == 0) {
        const char *wd = git_repository_workdir(repo);
        out = path_absolute(wd != NULL ? wd : git_repository_path(repo));
    }
    git_repository_free(repo);
    git_buf_dispose(&found);
    return out;
}

/* The index file for a local location, or NULL. */
static char *local_index(const char *loc, struct err *e)
{
    char *abs = path_absolute(loc);
    if (!is_dir(abs)) {
        if (path_exists(abs)) {
            return abs;
        }
        err_set(e, "registry '%s' does not exist", loc);
        err_hint(e, "give --registry a folder holding index.json, an index file or a git URL");
        free(abs);
        return NULL;
    }
    for (size_t i = 0; i < 2; i++) {
        char *p = path_join(abs, index_names[i]);
        if (path_exists(p)) {
            free(abs);
            return p;
        }
        free(p);
    }
    err_set(e, "registry folder '%s' holds neither index.json nor registry/index.json", abs);
    free(abs);
    return NULL;
}

/* Read the index from the HEAD of a registry mirrored from a git URL. */
static int url_index(const char *url, struct fetcher *f, char **data, size_t *len, char **name,
                     struct err *e)
{
    git_repository *repo;
    if (fetcher_mirror(f, url, "registry", true, &repo, e) != 0) {
        return -1;
    }
    git_oid head;
    int rc = fetch_resolve_ref(repo, NULL, "HEAD", &head, e);
    if (rc != 0) {
        if (rc > 0) {
            err_set(e, "registry '%s' has no HEAD commit to read index.json from", url);
        }
        return -1;
    }
    rc = 1;
    for (size_t i = 0; i < 2 && rc == 1; i++) {
        rc = fetch_read_file(repo, &head, index_names[i], data, len, e);
        if (rc == 0) {
            *name = xasprintf("%s (%s)", url, index_names[i]);
        }
    }
    if (rc > 0) {
        err_set(e, "registry '%s' holds neither index.json nor registry/index.json", url);
    }
    return rc ? -1 : 0;
}

char *registry_self_git(const char *location, struct err *e)
{
    if (strcmp(location, "default") == 0) {
        char *sdk = sdk_dir();
        char *repo = repo_of(sdk);
        if (repo == NULL) {
            err_set(e,
                    "the SDK at %s is not a git checkout, so its registry cannot serve "
                    "packages",
                    sdk);
            err_hint(e, "clone the SDK with git, or set CMRX_SDK to a git checkout of it");
        }
        free(sdk);
        return repo;
    }
    if (path_is_url(location)) {
        return xstrdup(location);
    }
    char *index = local_index(location, e);
    if (index == NULL) {
        return NULL;
    }
    char *dir = xstrdup(index);
    *strrchr(dir, '/') = '\0';
    char *repo = repo_of(dir);
    if (repo == NULL) {
        err_set(e,
                "registry %s is not inside a git repository, so packages with \"git\": \".\" "
                "cannot be fetched from it",
                index);
    }
    free(dir);
    free(index);
    return repo;
}

int registry_open(const char *location, struct fetcher *f, struct registry *r, struct err *e)
{
    memset(r, 0, sizeof(*r));
    char *data = NULL, *name = NULL;
    size_t len = 0;
    int rc;
    if (strcmp(location, "default") == 0) {
        char *sdk = sdk_dir();
        name = path_join(sdk, "registry/index.json");
        free(sdk);
        rc = read_file(name, &data, &len, e);
        if (rc != 0) {
            err_hint(e, "the SDK checkout looks incomplete; set CMRX_SDK to the SDK folder");
        }
    } else if (path_is_url(location)) {
        rc = url_index(location, f, &data, &len, &name, e);
    } else {
        name = local_index(location, e);
        rc = name == NULL ? -1 : read_file(name, &data, &len, e);
    }
    if (rc == 0) {
        rc = registry_parse(name, data, len, r, e);
    }
    free(data);
    if (rc != 0) {
        free(name);
        return -1;
    }
    r->index_name = name;
    /* A folder is recorded absolute: cmrx.lock must not depend on where cmrx ran. */
    r->location = strcmp(location, "default") == 0 || path_is_url(location)
                      ? xstrdup(location)
                      : path_absolute(location);
    bool uses_self = false;
    for (size_t i = 0; i < r->n_pkgs; i++) {
        for (size_t j = 0; j < r->pkgs[i].n_versions; j++) {
            uses_self = uses_self || strcmp(r->pkgs[i].versions[j].git, ".") == 0;
        }
    }
    if (uses_self) {
        /* Looked up only when needed: discovering a repository costs time. */
        struct err ignored;
        r->self_git = registry_self_git(location, &ignored);
    }
    struct reg_source *src = r->srcs[0];
    src->location = xstrdup(r->location);
    free(src->index_name);
    src->index_name = xstrdup(r->index_name);
    src->self_git = xstrdup(r->self_git);
    if (f != NULL && r->repository != NULL && r->self_git != NULL &&
        strcmp(r->repository, r->self_git) != 0) {
        /* Locks name the canonical URL; this registry's own repository serves it. */
        fetcher_serve(f, r->repository, r->self_git, r->index_name);
    }
    return 0;
}

char *registry_git_url(const struct reg_version *v, struct err *e)
{
    if (strcmp(v->git, ".") != 0) {
        return xstrdup(v->git);
    }
    const struct reg_source *src = v->pkg->src;
    if (src == NULL || src->self_git == NULL) {
        err_set(e, "%s lists packages with \"git\": \".\", but it is not inside a git repository",
                src != NULL ? src->index_name : "the registry");
        err_hint(e, "keep the index in the git repository that holds those packages");
        return NULL;
    }
    return xstrdup(src->self_git);
}

char *registry_lock_url(const struct reg_version *v, struct err *e)
{
    const struct reg_source *src = v->pkg->src;
    if (strcmp(v->git, ".") == 0 && src != NULL && src->repository != NULL) {
        return xstrdup(src->repository);
    }
    return registry_git_url(v, e);
}

static void package_free(struct reg_package *p)
{
    for (size_t j = 0; j < p->n_versions; j++) {
        struct reg_version *v = &p->versions[j];
        free(v->version);
        free(v->git);
        free(v->tag);
        free(v->branch);
        free(v->commit);
        free(v->subdir);
        free(v->checksum);
        free(v->cpu);
        free(v->qemu);
        free(v->pyocd);
        strv_free(v->cpus, v->n_cpus);
        strv_free(v->periphs, v->n_periphs);
        for (size_t k = 0; k < v->n_deps; k++) {
            free(v->deps[k].name);
        }
        free(v->deps);
    }
    free(p->versions);
    free(p->name);
    free(p->description);
    free(p->license);
    free(p->homepage);
    memset(p, 0, sizeof(*p));
}

/* Versions point to their package: after the array moved, again. */
static void relink(struct registry *r)
{
    for (size_t i = 0; i < r->n_pkgs; i++) {
        for (size_t j = 0; j < r->pkgs[i].n_versions; j++) {
            r->pkgs[i].versions[j].pkg = &r->pkgs[i];
        }
    }
}

static void add_shadow(struct registry *r, const char *name, const struct reg_source *kept,
                       const struct reg_source *ignored)
{
    r->shadows = xrealloc(r->shadows, (r->n_shadows + 1) * sizeof(*r->shadows));
    r->shadows[r->n_shadows++] = (struct reg_shadow){xstrdup(name), kept, ignored};
}

static void add_source(struct registry *r, struct reg_source *src)
{
    r->srcs = xrealloc(r->srcs, (r->n_srcs + 1) * sizeof(*r->srcs));
    r->srcs[r->n_srcs++] = src;
}

void registry_stack(struct registry *base, struct registry *add)
{
    for (size_t i = 0; i < add->n_srcs; i++) {
        add_source(base, add->srcs[i]);
    }
    add->n_srcs = 0;
    base->pkgs = xrealloc(base->pkgs, (base->n_pkgs + add->n_pkgs + 1) * sizeof(*base->pkgs));
    for (size_t i = 0; i < add->n_pkgs; i++) {
        struct reg_package *p = &add->pkgs[i];
        const struct reg_package *have = registry_find(base, p->name);
        if (have != NULL) {
            add_shadow(base, p->name, have->src, p->src);
            package_free(p);
        } else {
            base->pkgs[base->n_pkgs++] = *p;
            memset(p, 0, sizeof(*p));
        }
    }
    add->n_pkgs = 0;
    for (size_t i = 0; i < add->n_shadows; i++) {
        add_shadow(base, add->shadows[i].name, add->shadows[i].kept, add->shadows[i].ignored);
    }
    relink(base);
    registry_free(add);
}

const struct reg_version *registry_add_git(struct registry *r, const char *origin, const char *name,
                                           const char *git, const char *tag, const char *branch,
                                           const char *rev, const char *subdir)
{
    const char *br = tag == NULL && branch == NULL && rev == NULL ? "HEAD" : branch;
    struct reg_package *have = (struct reg_package *)registry_find(r, name);
    if (have != NULL && have->src != NULL && str_equal(have->src->location, origin) &&
        have->n_versions == 1 && str_equal(have->versions[0].git, git) &&
        str_equal(have->versions[0].tag, tag) && str_equal(have->versions[0].branch, br) &&
        str_equal(have->versions[0].commit, rev) && str_equal(have->versions[0].subdir, subdir)) {
        return &have->versions[0];
    }
    struct reg_source *src = xcalloc(1, sizeof(*src));
    src->location = xstrdup(origin);
    src->index_name = xstrdup(origin);
    add_source(r, src);
    struct reg_package *p;
    if (have != NULL) {
        add_shadow(r, name, src, have->src);
        package_free(have);
        p = have;
    } else {
        r->pkgs = xrealloc(r->pkgs, (r->n_pkgs + 1) * sizeof(*r->pkgs));
        p = &r->pkgs[r->n_pkgs++];
        memset(p, 0, sizeof(*p));
    }
    p->name = xstrdup(name);
    p->kind = KIND_COMPONENT;
    p->description = xasprintf("from %s", git);
    p->src = src;
    p->versions = xcalloc(1, sizeof(*p->versions));
    p->n_versions = 1;
    struct reg_version *v = &p->versions[0];
    /* The tag's version when it is one ("v1.2.0" or "1.2.0"), for messages and constraints. */
    struct err ignored;
    const char *t = tag != NULL && (tag[0] == 'v' || tag[0] == 'V') ? tag + 1 : tag;
    v->version = xstrdup(t != NULL && semver_parse(t, &v->v, &ignored) == 0 ? t : "0.0.0");
    semver_parse(v->version, &v->v, &ignored);
    v->git = xstrdup(git);
    v->tag = xstrdup(tag);
    v->branch = xstrdup(br);
    v->commit = xstrdup(rev);
    v->subdir = xstrdup(subdir);
    relink(r);
    return &p->versions[0];
}

int registry_check_links(const struct registry *r, struct err *e)
{
    return check_links(NULL, r, true, e);
}

const struct reg_shadow *registry_shadow(const struct registry *r, const char *name)
{
    for (size_t i = 0; i < r->n_shadows; i++) {
        if (strcmp(r->shadows[i].name, name) == 0) {
            return &r->shadows[i];
        }
    }
    return NULL;
}

void registry_free(struct registry *r)
{
    for (size_t i = 0; i < r->n_pkgs; i++) {
        package_free(&r->pkgs[i]);
    }
    free(r->pkgs);
    for (size_t i = 0; i < r->n_srcs; i++) {
        free(r->srcs[i]->location);
        free(r->srcs[i]->index_name);
        free(r->srcs[i]->self_git);
        free(r->srcs[i]->repository);
        free(r->srcs[i]);
    }
    free(r->srcs);
    for (size_t i = 0; i < r->n_shadows; i++) {
        free(r->shadows[i].name);
    }
    free(r->shadows);
    free(r->location);
    free(r->index_name);
    free(r->self_git);
    free(r->repository);
    memset(r, 0, sizeof(*r));
}

const struct reg_package *registry_find(const struct registry *r, const char *name)
{
    for (size_t i = 0; i < r->n_pkgs; i++) {
        if (strcmp(r->pkgs[i].name, name) == 0) {
            return &r->pkgs[i];
        }
    }
    return NULL;
}

/* Edits (insert, delete, replace, swap of neighbours) between short names. */
static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64) {
        return (size_t)-1;
    }
    size_t d[65][65];
    for (size_t i = 0; i <= la; i++) {
        for (size_t j = 0; j <= lb; j++) {
            if (i == 0 || j == 0) {
                d[i][j] = i + j;
                continue;
            }
            size_t best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            best = d[i - 1][j] + 1 < best ? d[i - 1][j] + 1 : best;
            best = d[i][j - 1] + 1 < best ? d[i][j - 1] + 1 : best;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < best) {
                best = d[i - 2][j - 2] + 1;
            }
            d[i][j] = best;
        }
    }
    return d[la][lb];
}

char *registry_suggest(const struct registry *r, const char *name)
{
    /* A typo first (two edits at most), else names sharing a part. */
    char *out = NULL;
    for (size_t i = 0; i < r->n_pkgs; i++) {
        if (edit_distance(r->pkgs[i].name, name) <= 2) {
            list_add(&out, r->pkgs[i].name);
        }
    }
    if (out != NULL) {
        return out;
    }
    char *probe = xasprintf("%.4s", name);
    for (size_t i = 0; probe[0] != '\0' && i < r->n_pkgs; i++) {
        if (strstr(r->pkgs[i].name, probe) != NULL || strstr(name, r->pkgs[i].name) != NULL) {
            list_add(&out, r->pkgs[i].name);
        }
    }
    free(probe);
    return out;
}

const struct reg_package *registry_find_kind(const struct registry *r, const char *name,
                                             enum pkg_kind kind, struct err *e)
{
    const struct reg_package *p = registry_find(r, name);
    if (p != NULL && p->kind == kind) {
        return p;
    }
    char *list = NULL;
    for (size_t i = 0; i < r->n_pkgs; i++) {
        if (r->pkgs[i].kind == kind) {
            list_add(&list, r->pkgs[i].name);
        }
    }
    const char *what = kind == KIND_BSP ? "board" : "template";
    char *like = p == NULL ? registry_suggest(r, name) : NULL;
    bool one = like != NULL && strchr(like, ',') == NULL; /* names have no ',' */
    const char *ask = one ? "; did you mean '" : "; did you mean one of ";
    err_usage(e, "unknown %s '%s'%s%s%s%s%s", what, name, p ? ": it is a " : "",
              p ? pkg_kind_name(p->kind) : "", like ? ask : "", like ? like : "",
              like ? (one ? "'?" : "?") : "");
    err_hint(e, "%ss in %s: %s", what, r->n_srcs > 1 ? "the registries" : r->index_name,
             list ? list : "none");
    free(like);
    free(list);
    return NULL;
}

const struct reg_package *registry_find_board(const struct registry *r, const char *name,
                                              const char *origin, struct err *e)
{
    const struct reg_package *p = registry_find_kind(r, name, KIND_BSP, e);
    if (p == NULL) {
        err_prefix(e, "%s: ", origin);
        e->usage = false; /* the file is wrong, not the command line */
    }
    return p;
}
