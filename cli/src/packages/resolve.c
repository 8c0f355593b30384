#include "resolve.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"

#define MAX_STEPS 200000 /* backtracking budget before giving up */

struct cons {
    size_t pkg;
    const struct constraint *c; /* NULL: any release */
    char origin[96];
};

struct solver {
    const struct resolve_opts *o;
    const struct reg_version **chosen; /* by package index */
    struct cons *cons;
    size_t n_cons, cap_cons;
    struct constraint *root_c; /* parsed root constraints */
    size_t board;
    unsigned long steps;
    struct err *e;
    bool failed; /* a definitive explanation is in e */
};

static size_t pkg_index(const struct solver *s, const struct reg_package *p)
{
    return (size_t)(p - s->o->reg->pkgs);
}

static void push(struct solver *s, size_t pkg, const struct constraint *c, const char *origin)
{
    if (s->n_cons == s->cap_cons) {
        s->cap_cons = s->cap_cons ? s->cap_cons * 2 : 32;
        s->cons = xrealloc(s->cons, s->cap_cons * sizeof(*s->cons));
    }
    struct cons *k = &s->cons[s->n_cons++];
    k->pkg = pkg;
    k->c = c;
    snprintf(k->origin, sizeof(k->origin), "%s", origin);
}

static bool matches_all(const struct solver *s, size_t pkg, const struct reg_version *v)
{
    for (size_t i = 0; i < s->n_cons; i++) {
        if (s->cons[i].pkg == pkg && s->cons[i].c != NULL &&
            !constraint_match(s->cons[i].c, &v->v)) {
            return false;
        }
    }
    return true;
}

static bool supports_cpu(const struct reg_version *v, const char *cpu)
{
    if (v->n_cpus == 0 || cpu == NULL) {
        return true;
    }
    for (size_t i = 0; i < v->n_cpus; i++) {
        if (strcmp(v->cpus[i], cpu) == 0) {
            return true;
        }
    }
    return false;
}

static const char *board_cpu(const struct solver *s)
{
    return s->chosen[s->board] ? s->chosen[s->board]->cpu : NULL;
}

static void list_versions(const struct reg_package *p, char *buf, size_t len)
{
    buf[0] = '\0';
    for (size_t i = 0; i < p->n_versions; i++) {
        snprintf(buf + strlen(buf), len - strlen(buf), "%s%s", i ? ", " : "",
                 p->versions[i].version);
    }
}

/* Say why the constraints on @p pkg cannot be met: one matches no version,
 * or no version matches them all. @return whether that is the case (the
 * message is then set and s->failed). */
static bool explain_constraints(struct solver *s, size_t pkg)
{
    const struct reg_package *p = &s->o->reg->pkgs[pkg];
    char avail[512], reqs[1024] = "";
    list_versions(p, avail, sizeof(avail));
    size_t n = 0;
    for (size_t i = 0; i < s->n_cons; i++) {
        const struct cons *k = &s->cons[i];
        if (k->pkg != pkg || k->c == NULL) {
            continue;
        }
        snprintf(reqs + strlen(reqs), sizeof(reqs) - strlen(reqs), "%s%s (required by %s)",
                 n ? ", " : "", k->c->text, k->origin);
        n++;
        bool any = false;
        for (size_t j = 0; j < p->n_versions && !any; j++) {
            any = constraint_match(k->c, &p->versions[j].v);
        }
        if (!any) {
            err_set(s->e, "no version of '%s' matches %s (required by %s); available: %s", p->name,
                    k->c->text, k->origin, avail);
            err_hint(s->e, "relax the constraint (e.g. `cmrx add %s@^%s`), or see `cmrx info %s`",
                     p->name, p->versions[0].version, p->name);
            s->failed = true;
            return true;
        }
    }
    bool together = false;
    for (size_t j = 0; j < p->n_versions && !together; j++) {
        together = matches_all(s, pkg, &p->versions[j]);
    }
    if (!together) {
        err_set(s->e,
                "conflicting requirements on '%s': %s; no version satisfies all of them "
                "(available: %s)",
                p->name, reqs, avail);
        err_hint(s->e,
                 "change one of those constraints so they overlap, or remove one of the "
                 "packages that asks for '%s'",
                 p->name);
        s->failed = true;
        return true;
    }
    return false;
}

/* Say that the versions of @p pkg that match its constraints all exclude
 * the board's CPU. */
static void explain_cpu(struct solver *s, size_t pkg)
{
    const struct reg_package *p = &s->o->reg->pkgs[pkg];
    char reqs[512] = "";
    for (size_t i = 0; i < s->n_cons; i++) {
        if (s->cons[i].pkg == pkg && s->cons[i].c != NULL) {
            snprintf(reqs + strlen(reqs), sizeof(reqs) - strlen(reqs), "%s%s", reqs[0] ? ", " : "",
                     s->cons[i].c->text);
        }
    }
    const char *cpu = board_cpu(s);
    err_set(s->e,
            "'%s' does not support %s, the CPU of board '%s': no version matching %s "
            "runs on it",
            p->name, cpu, s->o->board, reqs[0] ? reqs : "*");
    char cpus[256] = "";
    for (size_t j = 0; j < p->n_versions; j++) {
        if (matches_all(s, pkg, &p->versions[j])) {
            const struct reg_version *v = &p->versions[j];
            snprintf(cpus + strlen(cpus), sizeof(cpus) - strlen(cpus), "%s%s supports ",
                     cpus[0] ? "; " : "", v->version);
            for (size_t c = 0; c < v->n_cpus; c++) {
                snprintf(cpus + strlen(cpus), sizeof(cpus) - strlen(cpus), "%s%s", c ? ", " : "",
                         v->cpus[c]);
            }
        }
    }
    err_hint(s->e, "%s; choose a board with one of those CPUs, or another package", cpus);
    s->failed = true;
}

static int solve(struct solver *s);

static int try_version(struct solver *s, size_t pkg, const struct reg_version *v)
{
    size_t mark = s->n_cons;
    char origin[96];
    snprintf(origin, sizeof(origin), "%s %s", v->pkg->name, v->version);
    s->chosen[pkg] = v;
    bool ok = true;
    const struct reg_package *kernel = registry_find(s->o->reg, "kernel");
    if (v->has_kernel && kernel != NULL) {
        push(s, pkg_index(s, kernel), &v->kernel, origin);
    }
    for (size_t i = 0; i < v->n_deps; i++) {
        push(s, pkg_index(s, registry_find(s->o->reg, v->deps[i].name)), &v->deps[i].c, origin);
    }
    /* New requirements on packages already chosen must hold for them. */
    for (size_t i = mark; i < s->n_cons && ok; i++) {
        const struct reg_version *have = s->chosen[s->cons[i].pkg];
        if (have != NULL && !constraint_match(s->cons[i].c, &have->v)) {
            ok = false;
            if (!s->failed) {
                /* Only a real conflict is reported; otherwise another choice may work. */
                explain_constraints(s, s->cons[i].pkg);
            }
        }
    }
    if (ok && solve(s) == 0) {
        return 0;
    }
    s->n_cons = mark;
    s->chosen[pkg] = NULL;
    return -1;
}

static bool unlocked(const struct resolve_opts *o, const char *name)
{
    if (o->unlock_all) {
        return true;
    }
    for (size_t i = 0; i < o->n_unlock; i++) {
        if (strcmp(o->unlock[i], name) == 0) {
            return true;
        }
    }
    return false;
}

static int solve(struct solver *s)
{
    if (++s->steps > MAX_STEPS) {
        if (!s->failed) {
            err_set(s->e, "version resolution gave up after %d steps", MAX_STEPS);
            err_hint(s->e, "pin some dependencies to exact versions in cmrx.yaml");
            s->failed = true;
        }
        return -1;
    }
    size_t i = 0;
    while (i < s->n_cons && s->chosen[s->cons[i].pkg] != NULL) {
        i++;
    }
    if (i == s->n_cons) {
        return 0;
    }
    size_t pkg = s->cons[i].pkg;
    const struct reg_package *p = &s->o->reg->pkgs[pkg];
    const char *cpu = pkg == s->board ? NULL : board_cpu(s);
    const struct lock_pkg *lp = lock_find(s->o->prefer, p->name);
    const struct reg_version *pref = NULL;
    if (lp != NULL && !unlocked(s->o, p->name)) {
        for (size_t j = 0; j < p->n_versions; j++) {
            if (strcmp(p->versions[j].version, lp->version) == 0) {
                pref = &p->versions[j];
            }
        }
    }
    bool any = false;
    for (size_t j = 0; j <= p->n_versions; j++) {
        const struct reg_version *v = j == 0 ? pref : &p->versions[j - 1];
        if (v == NULL || (j > 0 && v == pref)) {
            continue;
        }
        if (!matches_all(s, pkg, v) || !supports_cpu(v, cpu)) {
            continue;
        }
        any = true;
        if (try_version(s, pkg, v) == 0) {
            return 0;
        }
        if (s->failed && s->steps > MAX_STEPS) {
            return -1;
        }
    }
    if (!any && !s->failed && !explain_constraints(s, pkg)) {
        explain_cpu(s, pkg);
    }
    return -1;
}

static int by_name(const void *a, const void *b)
{
    return strcmp((*(const struct reg_version *const *)a)->pkg->name,
                  (*(const struct reg_version *const *)b)->pkg->name);
}

static int root_package(struct solver *s, const char *name, const char *origin,
                        const struct reg_package **out)
{
    const struct reg_package *p = registry_find(s->o->reg, name);
    if (p == NULL) {
        char *sim = registry_suggest(s->o->reg, name);
        err_set(s->e, "unknown package '%s' (required by %s): it is not in the registry %s", name,
                origin, s->o->reg->index_name);
        if (sim != NULL) {
            err_hint(s->e, "similar names: %s; `cmrx search` lists every package", sim);
        } else {
            err_hint(s->e, "`cmrx search` lists every package; check the name, or use "
                           "--registry to choose another registry");
        }
        free(sim);
        return -1;
    }
    *out = p;
    return 0;
}

int resolve(const struct resolve_opts *o, struct resolution *out, struct err *e)
{
    struct solver s = {0};
    s.o = o;
    s.e = e;
    s.chosen = xcalloc(o->reg->n_pkgs, sizeof(*s.chosen));
    s.root_c = xcalloc(o->n_roots, sizeof(*s.root_c));
    memset(out, 0, sizeof(*out));
    e->msg[0] = '\0';
    int rc = 0;
    const struct reg_package *board = registry_find_board(o->reg, o->board, o->board_origin, e);
    if (board == NULL) {
        rc = -1;
    } else {
        s.board = pkg_index(&s, board);
        push(&s, s.board, NULL, o->board_origin);
    }
    for (size_t i = 0; rc == 0 && i < o->n_roots; i++) {
        const struct reg_package *p;
        if (root_package(&s, o->roots[i].name, o->roots[i].origin, &p) != 0) {
            rc = -1;
        } else if (o->roots[i].constraint == NULL) {
            push(&s, pkg_index(&s, p), NULL, o->roots[i].origin);
        } else if (constraint_parse(o->roots[i].constraint, &s.root_c[i], e) != 0) {
            rc = err_prefix(e, "%s: invalid constraint '%s' for '%s': ", o->roots[i].origin,
                            o->roots[i].constraint, o->roots[i].name);
        } else {
            push(&s, pkg_index(&s, p), &s.root_c[i], o->roots[i].origin);
        }
    }
    if (rc == 0 && solve(&s) != 0) {
        if (e->msg[0] == '\0') {
            err_set(e, "no combination of package versions satisfies every requirement");
            err_hint(e, "`cmrx info PACKAGE` shows each version's requirements");
        }
        rc = -1;
    }
    if (rc == 0) {
        out->chosen = xcalloc(o->reg->n_pkgs, sizeof(*out->chosen));
        for (size_t i = 0; i < o->reg->n_pkgs; i++) {
            if (s.chosen[i] != NULL) {
                out->chosen[out->n++] = s.chosen[i];
            }
        }
        qsort(out->chosen, out->n, sizeof(*out->chosen), by_name);
    }
    free(s.chosen);
    free(s.cons);
    free(s.root_c);
    return rc;
}

void resolution_free(struct resolution *r)
{
    free(r->chosen);
    memset(r, 0, sizeof(*r));
}
