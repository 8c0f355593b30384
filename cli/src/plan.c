#include "plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "resolve.h"
#include "source.h"
#include "ui.h"

int plan_lock(const struct manifest *m, const struct registry *reg, struct fetcher *f,
              const struct plan_opts *o, struct lock *out, struct err *e)
{
    size_t n = m->n_deps + 1;
    struct resolve_req *roots = xcalloc(n, sizeof(*roots));
    char **origins = xcalloc(n + 1, sizeof(char *));
    int rc = 0;
    origins[0] = m->kernel_line ? xasprintf("%s:%lu", m->path, m->kernel_line) : xstrdup(m->path);
    roots[0] = (struct resolve_req){"kernel", m->kernel, origins[0]};
    for (size_t i = 0; i < m->n_deps; i++) {
        const struct dependency *d = &m->deps[i];
        origins[i + 1] = xasprintf("%s:%lu", m->path, d->line);
        roots[i + 1] = (struct resolve_req){d->name, d->constraint, origins[i + 1]};
        const struct reg_package *rp = registry_find(reg, d->name);
        if (rc == 0 && rp != NULL && rp->kind != KIND_COMPONENT && rp->kind != KIND_LIBRARY) {
            rc = err_set(e, "%s: dependency '%s' is a %s, not a component", origins[i + 1], d->name,
                         pkg_kind_name(rp->kind));
            err_hint(e, rp->kind == KIND_BSP        ? "a board is chosen with 'board:' in cmrx.yaml"
                        : rp->kind == KIND_TEMPLATE ? "templates are used by `cmrx new --template`"
                                                    : "set the kernel with 'kernel:' in cmrx.yaml");
        }
    }
    origins[n] = xasprintf("%s:%lu", m->path, m->board_line);
    struct resolve_opts ro = {
        .reg = reg,
        .board = m->board,
        .board_origin = origins[n],
        .roots = roots,
        .n_roots = n,
        .prefer = o->old,
        .unlock = o->unlock,
        .n_unlock = o->n_unlock,
        .unlock_all = o->unlock_all,
    };
    struct resolution res = {0};
    if (rc == 0 && resolve(&ro, &res, e) == 0) {
        rc = source_pin(reg, &res, o->old, &ro, f, out, e);
    } else {
        rc = -1;
    }
    resolution_free(&res);
    for (size_t i = 0; i <= n; i++) {
        free(origins[i]);
    }
    free(origins);
    free(roots);
    return rc;
}

size_t plan_report(const struct lock *old, const struct lock *updated)
{
    size_t changes = 0;
    for (size_t i = 0; i < updated->n; i++) {
        const struct lock_pkg *b = &updated->pkgs[i];
        const struct lock_pkg *a = lock_find(old, b->name);
        if (a == NULL) {
            ui_status("Adding", "%s %s", b->name, b->version);
        } else if (strcmp(a->version, b->version) != 0) {
            ui_status("Updating", "%s %s -> %s", b->name, a->version, b->version);
        } else if (strcmp(a->commit, b->commit) != 0) {
            ui_status("Updating", "%s %s (commit %.12s -> %.12s)", b->name, b->version, a->commit,
                      b->commit);
        } else {
            continue;
        }
        changes++;
    }
    for (size_t i = 0; old != NULL && i < old->n; i++) {
        if (lock_find(updated, old->pkgs[i].name) == NULL) {
            ui_status("Removing", "%s %s", old->pkgs[i].name, old->pkgs[i].version);
            changes++;
        }
    }
    return changes;
}
