#include "registry.h"

#include <cjson/cJSON.h>
#include <git2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checksum.h"
#include "fetch.h"
#include "fsutil.h"
#include "sdk.h"

static const char *const kind_names[] = {"kernel", "bsp", "component", "template", "library"};

/* CPUs a package may require; the same set bsp.yaml accepts. */
static const char *const known_cpus[] = {"cortex-m0plus", "cortex-m3", "cortex-m4", "cortex-m7",
                                         "cortex-m33"};

const char *pkg_kind_name(enum pkg_kind k)
{
    return kind_names[k];
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

bool cpu_is_known(const char *cpu)
{
    for (size_t i = 0; cpu != NULL && i < sizeof(known_cpus) / sizeof(known_cpus[0]); i++) {
        if (strcmp(cpu, known_cpus[i]) == 0) {
            return true;
        }
    }
    return false;
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

struct jctx {
    const char *file;
    struct err *e;
};

static int jfail(struct jctx *c, const char *where, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int jfail(struct jctx *c, const char *where, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    err_set(c->e, "%s: %s: %s", c->file, where, msg);
    return err_hint(c->e, "fix the registry index (schema: docs/registry.md), or choose another "
                          "registry with --registry");
}

/* Every key of @p obj must be one of the NULL-terminated @p known. */
static int only_keys(struct jctx *c, const cJSON *obj, const char *where, const char *const *known)
{
    if (!cJSON_IsObject(obj)) {
        return jfail(c, where, "must be an object { ... }");
    }
    for (const cJSON *it = obj->child; it != NULL; it = it->next) {
        size_t i = 0;
        while (known[i] != NULL && strcmp(known[i], it->string) != 0) {
            i++;
        }
        if (known[i] == NULL) {
            char list[400] = "";
            for (i = 0; known[i] != NULL; i++) {
                snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s", i ? ", " : "",
                         known[i]);
            }
            return jfail(c, where, "unknown key '%s' (known: %s)", it->string, list);
        }
        for (const cJSON *o = obj->child; o != it; o = o->next) {
            if (strcmp(o->string, it->string) == 0) {
                return jfail(c, where, "key '%s' appears twice", it->string);
            }
        }
    }
    return 0;
}

/* Optional (or required) string member; *out NULL when absent. */
static int get_str(struct jctx *c, const cJSON *obj, const char *where, const char *key,
                   bool required, char **out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    *out = NULL;
    if (v == NULL) {
        return required ? jfail(c, where, "missing key '%s'", key) : 0;
    }
    if (!cJSON_IsString(v) || v->valuestring[0] == '\0') {
        return jfail(c, where, "'%s' must be a non-empty string", key);
    }
    *out = xstrdup(v->valuestring);
    return 0;
}

bool git_location_valid(const char *g)
{
    if (strcmp(g, ".") == 0 || g[0] == '/') {
        return true;
    }
    const char *colon = strstr(g, "://");
    if (colon != NULL) {
        return colon > g && colon[3] != '\0';
    }
    /* scp-like ssh: user@host:path */
    const char *at = strchr(g, '@'), *c = strchr(g, ':');
    return at != NULL && c != NULL && at < c && c[1] != '\0';
}

static bool ref_name_ok(const char *prefix, const char *name)
{
    char *full = xasprintf("%s%s", prefix, name);
    int valid = 0;
    bool ok = git_reference_name_is_valid(&valid, full) == 0 && valid;
    free(full);
    return ok;
}

static int parse_requires(struct jctx *c, const cJSON *req, const char *where,
                          struct reg_version *v)
{
    static const char *const keys[] = {"kernel", "cpus", "dependencies", NULL};
    char why[256];
    if (only_keys(c, req, where, keys) != 0) {
        return -1;
    }
    const cJSON *k = cJSON_GetObjectItemCaseSensitive(req, "kernel");
    if (k != NULL) {
        if (!cJSON_IsString(k) || constraint_parse(k->valuestring, &v->kernel, why, sizeof(why))) {
            return jfail(c, where, "'kernel' must be a version constraint%s%s",
                         cJSON_IsString(k) ? ": " : "", cJSON_IsString(k) ? why : "");
        }
        v->has_kernel = true;
    }
    const cJSON *cpus = cJSON_GetObjectItemCaseSensitive(req, "cpus");
    if (cpus != NULL) {
        if (!cJSON_IsArray(cpus) || cJSON_GetArraySize(cpus) == 0) {
            return jfail(c, where, "'cpus' must be a non-empty list of CPU names");
        }
        v->cpus = xcalloc((size_t)cJSON_GetArraySize(cpus), sizeof(char *));
        for (const cJSON *it = cpus->child; it != NULL; it = it->next) {
            if (!cJSON_IsString(it) || !cpu_is_known(it->valuestring)) {
                return jfail(c, where,
                             "'cpus' entry %s%s%s is not a CPU the SDK knows (cortex-m0plus, "
                             "cortex-m3, cortex-m4, cortex-m7, cortex-m33)",
                             cJSON_IsString(it) ? "'" : "",
                             cJSON_IsString(it) ? it->valuestring : "(not a string)",
                             cJSON_IsString(it) ? "'" : "");
            }
            v->cpus[v->n_cpus++] = xstrdup(it->valuestring);
        }
    }
    const cJSON *deps = cJSON_GetObjectItemCaseSensitive(req, "dependencies");
    if (deps != NULL) {
        if (!cJSON_IsObject(deps)) {
            return jfail(c, where, "'dependencies' must be an object {\"name\": \"constraint\"}");
        }
        v->deps = xcalloc((size_t)cJSON_GetArraySize(deps), sizeof(*v->deps));
        for (const cJSON *it = deps->child; it != NULL; it = it->next) {
            if (!name_is_valid(it->string)) {
                return jfail(c, where, "dependency name '%s' is not a valid package name",
                             it->string);
            }
            struct reg_dep *d = &v->deps[v->n_deps];
            if (!cJSON_IsString(it) || constraint_parse(it->valuestring, &d->c, why, sizeof(why))) {
                return jfail(c, where,
                             "dependency '%s': the constraint must be a string like "
                             "\"^1.0\"%s%s",
                             it->string, cJSON_IsString(it) ? ": " : "",
                             cJSON_IsString(it) ? why : "");
            }
            d->name = xstrdup(it->string);
            v->n_deps++;
        }
    }
    return 0;
}

static int parse_version(struct jctx *c, const cJSON *jv, const char *where, struct reg_package *p,
                         struct reg_version *v)
{
    static const char *const keys[] = {"version",  "git",      "tag", "branch", "commit", "subdir",
                                       "checksum", "requires", "cpu", "qemu",   "pyocd",  NULL};
    char why[256];
    if (only_keys(c, jv, where, keys) != 0 ||
        get_str(c, jv, where, "version", true, &v->version) != 0 ||
        get_str(c, jv, where, "git", true, &v->git) != 0 ||
        get_str(c, jv, where, "tag", false, &v->tag) != 0 ||
        get_str(c, jv, where, "branch", false, &v->branch) != 0 ||
        get_str(c, jv, where, "commit", false, &v->commit) != 0 ||
        get_str(c, jv, where, "subdir", false, &v->subdir) != 0 ||
        get_str(c, jv, where, "checksum", false, &v->checksum) != 0 ||
        get_str(c, jv, where, "cpu", false, &v->cpu) != 0 ||
        get_str(c, jv, where, "qemu", false, &v->qemu) != 0 ||
        get_str(c, jv, where, "pyocd", false, &v->pyocd) != 0) {
        return -1;
    }
    v->pkg = p;
    if (semver_parse(v->version, &v->v, why, sizeof(why)) != 0) {
        return jfail(c, where, "'version': %s", why);
    }
    if (!git_location_valid(v->git)) {
        return jfail(c, where,
                     "'git' is '%s'; use \".\" (this registry's repository), an "
                     "absolute path, or a URL such as https://host/repo.git",
                     v->git);
    }
    if (v->tag != NULL && v->branch != NULL) {
        return jfail(c, where, "give 'tag' or 'branch', not both");
    }
    if (v->tag != NULL && !ref_name_ok("refs/tags/", v->tag)) {
        return jfail(c, where, "'tag' '%s' is not a valid git tag name", v->tag);
    }
    if (v->branch != NULL && strcmp(v->branch, "HEAD") != 0 &&
        !ref_name_ok("refs/heads/", v->branch)) {
        return jfail(c, where, "'branch' '%s' is not a valid git branch name", v->branch);
    }
    if (v->commit != NULL && !checksum_is_hex(v->commit)) {
        return jfail(c, where, "'commit' must be a full 40-digit lower-case commit id");
    }
    if (v->commit != NULL && v->branch != NULL) {
        return jfail(c, where,
                     "a pinned 'commit' cannot follow a 'branch'; give a tag or "
                     "neither");
    }
    if (v->tag == NULL && v->branch == NULL && v->commit == NULL) {
        v->tag = xstrdup(v->version); /* the usual case: tag "1.2.0" */
    }
    if (v->checksum != NULL && !checksum_is_hex(v->checksum)) {
        return jfail(c, where, "'checksum' must be a 40-digit lower-case git tree id");
    }
    if (v->subdir != NULL && !path_is_safe_relative(v->subdir)) {
        return jfail(c, where,
                     "'subdir' is '%s'; it must be a relative path inside the "
                     "repository, without '..'",
                     v->subdir);
    }
    if (p->kind == KIND_BSP) {
        if (v->cpu == NULL) {
            return jfail(c, where, "missing key 'cpu' (every board names its CPU)");
        }
        if (!cpu_is_known(v->cpu)) {
            return jfail(c, where, "'cpu' '%s' is not a CPU the SDK knows", v->cpu);
        }
    } else if (v->cpu || v->qemu || v->pyocd) {
        return jfail(c, where, "'cpu', 'qemu' and 'pyocd' are only for packages of kind bsp");
    }
    const cJSON *req = cJSON_GetObjectItemCaseSensitive(jv, "requires");
    if (req != NULL) {
        char *rw = xasprintf("%s.requires", where);
        int rc = parse_requires(c, req, rw, v);
        free(rw);
        if (rc != 0) {
            return -1;
        }
    }
    return 0;
}

static int cmp_versions(const void *a, const void *b)
{
    return semver_compare(&((const struct reg_version *)b)->v, &((const struct reg_version *)a)->v);
}

static int parse_package(struct jctx *c, const cJSON *jp, const char *where, struct reg_package *p)
{
    static const char *const keys[] = {"name",     "kind",     "description", "license",
                                       "homepage", "versions", NULL};
    char *kind = NULL;
    if (only_keys(c, jp, where, keys) != 0 || get_str(c, jp, where, "name", true, &p->name) != 0 ||
        get_str(c, jp, where, "kind", true, &kind) != 0 ||
        get_str(c, jp, where, "description", true, &p->description) != 0 ||
        get_str(c, jp, where, "license", false, &p->license) != 0 ||
        get_str(c, jp, where, "homepage", false, &p->homepage) != 0) {
        free(kind);
        return -1;
    }
    int bad_kind = pkg_kind_parse(kind, &p->kind);
    free(kind);
    if (!name_is_valid(p->name)) {
        return jfail(c, where,
                     "'name' '%s' is not a valid package name (lower case letters, "
                     "digits, '-', '_', '.'; no '/' or '..')",
                     p->name);
    }
    if (bad_kind) {
        return jfail(c, where, "'kind' must be kernel, bsp, component, template or library");
    }
    if ((p->kind == KIND_KERNEL) != (strcmp(p->name, "kernel") == 0)) {
        return jfail(c, where, "the package named 'kernel' is the one package of kind kernel");
    }
    const cJSON *vs = cJSON_GetObjectItemCaseSensitive(jp, "versions");
    if (!cJSON_IsArray(vs) || cJSON_GetArraySize(vs) == 0) {
        return jfail(c, where, "'versions' must be a non-empty list");
    }
    p->versions = xcalloc((size_t)cJSON_GetArraySize(vs), sizeof(*p->versions));
    for (const cJSON *it = vs->child; it != NULL; it = it->next) {
        char *vw = xasprintf("%s.versions[%zu]", where, p->n_versions);
        int rc = parse_version(c, it, vw, p, &p->versions[p->n_versions++]);
        if (rc == 0) {
            for (size_t i = 0; i + 1 < p->n_versions; i++) {
                if (semver_compare(&p->versions[i].v, &p->versions[p->n_versions - 1].v) == 0) {
                    rc = jfail(c, vw, "version %s is listed twice", p->versions[i].version);
                }
            }
        }
        free(vw);
        if (rc != 0) {
            return -1;
        }
    }
    qsort(p->versions, p->n_versions, sizeof(*p->versions), cmp_versions);
    return 0;
}

/* Dependencies must name components of this index; "." needs a repository. */
static int check_links(struct jctx *c, struct registry *r)
{
    for (size_t i = 0; i < r->n_pkgs; i++) {
        const struct reg_package *p = &r->pkgs[i];
        for (size_t j = 0; j < p->n_versions; j++) {
            const struct reg_version *v = &p->versions[j];
            char where[200];
            snprintf(where, sizeof(where), "package '%s' version %s", p->name, v->version);
            for (size_t k = 0; k < v->n_deps; k++) {
                const struct reg_package *d = registry_find(r, v->deps[k].name);
                if (d == NULL) {
                    return jfail(c, where, "depends on '%s', which is not in this index",
                                 v->deps[k].name);
                }
                if (d->kind != KIND_COMPONENT && d->kind != KIND_LIBRARY) {
                    return jfail(c, where,
                                 "depends on '%s', a %s; dependencies are components and "
                                 "libraries (use requires.kernel for the kernel)",
                                 d->name, pkg_kind_name(d->kind));
                }
                if (d == p) {
                    return jfail(c, where, "depends on itself");
                }
            }
        }
    }
    return 0;
}

int registry_parse(const char *index_name, const char *json, size_t len, struct registry *r,
                   struct err *e)
{
    struct jctx c = {index_name, e};
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(json, len, &end, 0);
    if (root == NULL) {
        size_t off = end != NULL && end >= json ? (size_t)(end - json) : 0;
        unsigned long line = 1, col = 1;
        for (size_t i = 0; i < off && i < len; i++) {
            line += json[i] == '\n';
            col = json[i] == '\n' ? 1 : col + 1;
        }
        err_set(e, "%s:%lu:%lu: malformed JSON near '%.20s'", index_name, line, col,
                off < len ? json + off : "(end of file)");
        return err_hint(e, "fix the JSON syntax (a missing comma, quote or bracket), or choose "
                           "another registry with --registry");
    }
    static const char *const keys[] = {"schema", "description", "packages", NULL};
    int rc = only_keys(&c, root, "top level", keys);
    const cJSON *schema = cJSON_GetObjectItemCaseSensitive(root, "schema");
    const cJSON *pkgs = cJSON_GetObjectItemCaseSensitive(root, "packages");
    if (rc == 0 && (!cJSON_IsNumber(schema) || schema->valuedouble != 1)) {
        rc = jfail(&c, "schema", "must be 1 (this cmrx reads index schema 1)%s",
                   cJSON_IsNumber(schema) && schema->valuedouble > 1 ? "; update cmrx" : "");
    }
    if (rc == 0 && !cJSON_IsArray(pkgs)) {
        rc = jfail(&c, "packages", "must be a list of packages");
    }
    if (rc == 0) {
        r->pkgs = xcalloc((size_t)cJSON_GetArraySize(pkgs), sizeof(*r->pkgs));
        for (const cJSON *it = pkgs->child; rc == 0 && it != NULL; it = it->next) {
            const cJSON *jn = cJSON_GetObjectItemCaseSensitive(it, "name");
            char *where =
                xasprintf("packages[%zu]%s%s%s", r->n_pkgs, cJSON_IsString(jn) ? " (" : "",
                          cJSON_IsString(jn) ? jn->valuestring : "", cJSON_IsString(jn) ? ")" : "");
            rc = parse_package(&c, it, where, &r->pkgs[r->n_pkgs++]);
            for (size_t i = 0; rc == 0 && i + 1 < r->n_pkgs; i++) {
                if (strcmp(r->pkgs[i].name, r->pkgs[r->n_pkgs - 1].name) == 0) {
                    rc = jfail(&c, where, "package '%s' is listed twice", r->pkgs[i].name);
                }
            }
            free(where);
        }
    }
    if (rc == 0) {
        rc = check_links(&c, r);
    }
    cJSON_Delete(root);
    if (rc != 0) {
        registry_free(r);
    }
    return rc;
}

/* ---- locating the index ------------------------------------------------- */

/* Where a registry folder or repository keeps its index. */
static const char *const index_names[] = {"index.json", "registry/index.json"};

static bool is_url(const char *loc)
{
    return strstr(loc, "://") != NULL || (strchr(loc, '@') && strchr(loc, ':') && loc[0] != '/');
}

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
    if (is_url(location)) {
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
    } else if (is_url(location)) {
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
    r->location = strcmp(location, "default") == 0 || is_url(location) ? xstrdup(location)
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
    return 0;
}

char *registry_git_url(const struct registry *r, const char *git, struct err *e)
{
    if (strcmp(git, ".") != 0) {
        return xstrdup(git);
    }
    if (r->self_git == NULL) {
        err_set(e, "%s lists packages with \"git\": \".\", but it is not inside a git repository",
                r->index_name);
        err_hint(e, "keep the index in the git repository that holds those packages");
        return NULL;
    }
    return xstrdup(r->self_git);
}

void registry_free(struct registry *r)
{
    for (size_t i = 0; i < r->n_pkgs; i++) {
        struct reg_package *p = &r->pkgs[i];
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
            for (size_t k = 0; k < v->n_cpus; k++) {
                free(v->cpus[k]);
            }
            free(v->cpus);
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
    }
    free(r->pkgs);
    free(r->location);
    free(r->index_name);
    free(r->self_git);
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

char *registry_suggest(const struct registry *r, const char *name)
{
    char *out = NULL;
    char probe[5] = "";
    size_t n = strlen(name) < 4 ? strlen(name) : 4;
    memcpy(probe, name, n);
    probe[n] = '\0';
    for (size_t i = 0; n > 0 && i < r->n_pkgs; i++) {
        if (strstr(r->pkgs[i].name, probe) != NULL || strstr(name, r->pkgs[i].name) != NULL) {
            char *joined = xasprintf("%s%s%s", out ? out : "", out ? ", " : "", r->pkgs[i].name);
            free(out);
            out = joined;
        }
    }
    return out;
}

const struct reg_package *registry_find_kind(const struct registry *r, const char *name,
                                             enum pkg_kind kind, struct err *e)
{
    const struct reg_package *p = registry_find(r, name);
    if (p != NULL && p->kind == kind) {
        return p;
    }
    char list[512] = "";
    for (size_t i = 0; i < r->n_pkgs; i++) {
        if (r->pkgs[i].kind == kind) {
            snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s", list[0] ? ", " : "",
                     r->pkgs[i].name);
        }
    }
    const char *what = kind == KIND_BSP ? "board" : "template";
    err_usage(e, "unknown %s '%s'%s%s", what, name, p ? ": it is a " : "",
              p ? pkg_kind_name(p->kind) : "");
    err_hint(e, "%ss in %s: %s", what, r->index_name, list[0] ? list : "none");
    return NULL;
}
