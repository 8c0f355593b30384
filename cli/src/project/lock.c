#include "lock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checksum.h"
#include "fsutil.h"
#include "yamldoc.h"

#define STR_KEY(fn, member) YDOC_STR_FIELD(fn, struct lock_pkg, member)

STR_KEY(k_name, name)
STR_KEY(k_version, version)
STR_KEY(k_git, git)
STR_KEY(k_tag, tag)
STR_KEY(k_branch, branch)
STR_KEY(k_commit, commit)
STR_KEY(k_subdir, subdir)
STR_KEY(k_checksum, checksum)

static int k_kind(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    if (pkg_kind_parse(ydoc_scalar(v), &((struct lock_pkg *)o)->kind) != 0) {
        return ydoc_fail(d, v, e, "'%s' must be %s", k, pkg_kind_list());
    }
    return 0;
}

static int check_pkg(struct ydoc *d, yaml_node_t *n, const struct lock_pkg *p, struct err *e)
{
    struct semver sv;
    if (!name_is_valid(p->name)) {
        return ydoc_fail(d, n, e, "package name '%s' is not valid (it must not hold '/' or '..')",
                         p->name);
    }
    if (semver_parse(p->version, &sv, e) != 0) {
        return err_prefix(e, "%s:%lu: package '%s': version: ", d->path, ydoc_line(n), p->name);
    }
    char why[256];
    if (!checksum_is_hex(p->commit) ||
        /* The lock records the commit a branch resolved to: not pinned by the index. */
        source_problem(p->git, p->tag, p->branch, NULL, p->subdir, p->checksum, why, sizeof(why))) {
        return ydoc_fail(d, n, e, "package '%s': %s", p->name,
                         checksum_is_hex(p->commit) ? why : "'commit' must be a 40-digit hex id");
    }
    return 0;
}

static int k_packages(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    static const struct ydoc_field f[] = {
        {"name", true, k_name},     {"kind", true, k_kind},      {"version", true, k_version},
        {"git", true, k_git},       {"tag", false, k_tag},       {"branch", false, k_branch},
        {"commit", true, k_commit}, {"subdir", false, k_subdir}, {"checksum", true, k_checksum},
    };
    struct lock *l = o;
    long n = ydoc_is_null(v) ? 0 : ydoc_seq(d, v, k, "a list", 0, (size_t)-1, e);
    l->pkgs = xcalloc(n > 0 ? (size_t)n : 1, sizeof(*l->pkgs));
    for (size_t i = 0; n >= 0 && i < (size_t)n; i++) {
        yaml_node_t *item = ydoc_item(d, v, i);
        struct lock_pkg *p = &l->pkgs[l->n++];
        p->line = ydoc_line(item);
        if (ydoc_walk_item(d, v, i, k, f, sizeof(f) / sizeof(f[0]), p, e) != 0 ||
            check_pkg(d, item, p, e) != 0) {
            return -1;
        }
        for (size_t j = 0; j < i; j++) {
            if (strcmp(l->pkgs[j].name, p->name) == 0) {
                return ydoc_fail(d, item, e, "package '%s' is locked twice", p->name);
            }
        }
    }
    return n < 0 ? -1 : 0;
}

static int k_format(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    (void)o;
    uint32_t fmt;
    if (ydoc_u32(d, v, k, 1, 1000, &fmt, e) != 0) {
        return -1;
    }
    if (fmt != LOCK_FORMAT) {
        ydoc_fail(d, v, e, "lock format %u is not supported by this cmrx (it reads format %d)", fmt,
                  LOCK_FORMAT);
        return err_hint(e, "update cmrx, or delete cmrx.lock and run `cmrx update`");
    }
    return 0;
}

static int k_registry(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    return ydoc_str(d, v, k, &((struct lock *)o)->registry, e);
}

int lock_parse(const char *path, const char *text, size_t len, struct lock *l, struct err *e)
{
    static const struct ydoc_field top[] = {
        {"lock_format", true, k_format},
        {"registry", true, k_registry},
        {"packages", true, k_packages},
    };
    struct ydoc d;
    memset(l, 0, sizeof(*l));
    l->path = path;
    if (ydoc_load(&d, path, text, len, e) != 0) {
        err_hint(e, "cmrx.lock is written by cmrx; restore it from version control, or delete it "
                    "and run `cmrx update`");
        return -1;
    }
    int rc = ydoc_root(&d) == NULL
                 ? err_set(e, "%s: the file is empty", path)
                 : ydoc_walk(&d, ydoc_root(&d), "", top, sizeof(top) / sizeof(top[0]), l, e);
    ydoc_free(&d);
    if (rc != 0) {
        if (e->hint[0] == '\0') {
            err_hint(e, "cmrx.lock is written by cmrx; restore it from version control, or "
                        "delete it and run `cmrx update`");
        }
        lock_free(l);
    }
    return rc;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp((*(const struct lock_pkg *const *)a)->name,
                  (*(const struct lock_pkg *const *)b)->name);
}

int lock_emit(const struct lock *l, char **out, size_t *len, struct err *e)
{
    const struct lock_pkg **sorted = xcalloc(l->n, sizeof(*sorted));
    for (size_t i = 0; i < l->n; i++) {
        sorted[i] = &l->pkgs[i];
    }
    qsort(sorted, l->n, sizeof(*sorted), cmp_name);
    struct yemit y;
    char fmt[8];
    snprintf(fmt, sizeof(fmt), "%d", LOCK_FORMAT);
    yemit_begin(&y);
    yemit_kv(&y, "lock_format", fmt);
    yemit_kv(&y, "registry", l->registry);
    yemit_str(&y, "packages");
    yemit_seq(&y, false);
    for (size_t i = 0; i < l->n; i++) {
        const struct lock_pkg *p = sorted[i];
        yemit_map(&y, false);
        yemit_kv(&y, "name", p->name);
        yemit_kv(&y, "kind", pkg_kind_name(p->kind));
        yemit_kv(&y, "version", p->version);
        yemit_kv(&y, "git", p->git);
        if (p->tag) {
            yemit_kv(&y, "tag", p->tag);
        }
        if (p->branch) {
            yemit_kv(&y, "branch", p->branch);
        }
        yemit_kv(&y, "commit", p->commit);
        if (p->subdir) {
            yemit_kv(&y, "subdir", p->subdir);
        }
        yemit_kv(&y, "checksum", p->checksum);
        yemit_map_end(&y);
    }
    yemit_seq_end(&y);
    free(sorted);
    return yemit_end(&y,
                     "# cmrx.lock: the exact packages this project is built from. Written by "
                     "cmrx;\n# do not edit. `cmrx fetch` makes packages/ match it.\n",
                     out, len, e);
}

static void lock_pkg_free(struct lock_pkg *p)
{
    free(p->name);
    free(p->version);
    free(p->git);
    free(p->tag);
    free(p->branch);
    free(p->commit);
    free(p->subdir);
    free(p->checksum);
    memset(p, 0, sizeof(*p));
}

void lock_free(struct lock *l)
{
    for (size_t i = 0; i < l->n; i++) {
        lock_pkg_free(&l->pkgs[i]);
    }
    free(l->pkgs);
    free(l->registry);
    memset(l, 0, sizeof(*l));
}

const struct lock_pkg *lock_find(const struct lock *l, const char *name)
{
    for (size_t i = 0; l != NULL && i < l->n; i++) {
        if (strcmp(l->pkgs[i].name, name) == 0) {
            return &l->pkgs[i];
        }
    }
    return NULL;
}

struct lock lock_copy(const struct lock *l)
{
    struct lock c = {l->path, xstrdup(l->registry), xcalloc(l->n + 1, sizeof(*c.pkgs)), 0};
    for (; c.n < l->n; c.n++) {
        lock_pkg_copy(&c.pkgs[c.n], &l->pkgs[c.n]);
    }
    return c;
}

void lock_pkg_copy(struct lock_pkg *dst, const struct lock_pkg *src)
{
    dst->name = xstrdup(src->name);
    dst->kind = src->kind;
    dst->version = xstrdup(src->version);
    dst->git = xstrdup(src->git);
    dst->tag = xstrdup(src->tag);
    dst->branch = xstrdup(src->branch);
    dst->commit = xstrdup(src->commit);
    dst->subdir = xstrdup(src->subdir);
    dst->checksum = xstrdup(src->checksum);
    dst->line = src->line;
}

bool lock_pkg_equal(const struct lock_pkg *a, const struct lock_pkg *b)
{
    return str_equal(a->name, b->name) && a->kind == b->kind && str_equal(a->version, b->version) &&
           str_equal(a->git, b->git) && str_equal(a->tag, b->tag) &&
           str_equal(a->branch, b->branch) && str_equal(a->commit, b->commit) &&
           str_equal(a->subdir, b->subdir) && str_equal(a->checksum, b->checksum);
}
