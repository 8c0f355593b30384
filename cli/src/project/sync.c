#include "sync.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fsutil.h"
#include "source.h"
#include "txn.h"
#include "ui.h"

const char *sync_expected_cpu(const struct registry *reg, const struct lock_pkg *p)
{
    const struct reg_package *rp = reg ? registry_find(reg, p->name) : NULL;
    for (size_t i = 0; rp != NULL && i < rp->n_versions; i++) {
        if (strcmp(rp->versions[i].version, p->version) == 0) {
            return rp->versions[i].cpu;
        }
    }
    return NULL;
}

/* What the user put in packages/ (edits of a package, a folder of their
 * own) is moved aside, not deleted, and they are told where it is. */
struct kept {
    char *name, *where, *why;
};

/* packages/NAME is about to be replaced or removed: whether it is exactly a
 * package of the lock it was made from, else record it as the user's. */
static void keep_if_edited(struct project *p, struct txn *t, const char *name, bool replaced,
                           struct kept **kept, size_t *n)
{
    char *have = xasprintf("%s/packages/%s", p->root, name);
    const struct lock_pkg *was = lock_find(&p->lock, name);
    if (path_exists(have) && (was == NULL || !source_intact(have, was))) {
        *kept = xrealloc(*kept, (*n + 1) * sizeof(**kept));
        (*kept)[*n].name = xstrdup(name);
        (*kept)[*n].where = txn_keep(t, name);
        (*kept)[*n].why =
            was == NULL ? xstrdup("is not a package of cmrx.lock")
                        : xasprintf("held changes of yours (it differs from %s %s of cmrx.lock) "
                                    "and was %s",
                                    was->name, was->version,
                                    replaced ? "replaced" : "removed, as nothing needs it now");
        (*n)++;
    }
    free(have);
}

/* Stage every package that is not intact in packages/. */
static int stage_packages(struct project *p, struct fetcher *f, const struct sync_opts *o,
                          struct txn *t, struct sync_stats *st, struct kept **kept, size_t *nk,
                          struct err *e)
{
    for (size_t i = 0; i < o->lock->n; i++) {
        const struct lock_pkg *lp = &o->lock->pkgs[i];
        char *have = xasprintf("%s/packages/%s", p->root, lp->name);
        bool intact = source_intact(have, lp);
        free(have);
        if (intact) {
            st->kept++;
            continue;
        }
        keep_if_edited(p, t, lp->name, true, kept, nk);
        char *dest = txn_stage(t, lp->name);
        int rc = source_materialize(f, o->self_git, lp, dest, sync_expected_cpu(o->reg, lp), e);
        free(dest);
        if (rc != 0) {
            return -1;
        }
        if (o->verbose) {
            ui_status("Unpacked", "%s %s", lp->name, lp->version);
        }
        st->staged++;
    }
    return 0;
}

/* Everything in packages/ that the lock does not name goes. */
static void stage_removals(struct project *p, const struct lock *l, struct txn *t,
                           struct sync_stats *st, struct kept **kept, size_t *nk)
{
    char *pkgs = path_join(p->root, "packages");
    DIR *d = opendir(pkgs);
    free(pkgs);
    if (d == NULL) {
        return;
    }
    struct dirent *de;
    while ((de = dir_next(d)) != NULL) {
        if (lock_find(l, de->d_name) != NULL || strchr(de->d_name, '\n') != NULL ||
            strchr(de->d_name, ' ') != NULL) { /* the journal is made of lines of words */
            continue;
        }
        size_t before = *nk;
        keep_if_edited(p, t, de->d_name, false, kept, nk);
        if (*nk == before) {
            txn_remove(t, de->d_name);
        }
        st->removed++;
    }
    closedir(d);
}

static bool same_text(const char *a, size_t alen, const char *b, size_t blen)
{
    return a != NULL && b != NULL && alen == blen && memcmp(a, b, alen) == 0;
}

int sync_project(struct project *p, struct fetcher *f, const struct sync_opts *o,
                 struct sync_stats *st, struct err *e)
{
    struct txn t;
    char *lock_text = NULL;
    size_t lock_len = 0;
    memset(st, 0, sizeof(*st));
    /* Checked now: after the commit point it could only stop the change halfway. */
    char *pkgs = path_join(p->root, "packages");
    struct stat ps;
    bool bad = lstat(pkgs, &ps) == 0 && !S_ISDIR(ps.st_mode);
    free(pkgs);
    if (bad) {
        bool link = S_ISLNK(ps.st_mode);
        err_set(e, "%s/packages is %s", p->root,
                link ? "a symbolic link, not a folder" : "not a folder");
        return err_hint(e, "cmrx keeps the fetched packages there; %s",
                        link ? "remove the link (cmrx makes the folder)" : "move that file away");
    }
    if (lock_emit(o->lock, &lock_text, &lock_len, e) != 0 || txn_begin(p->root, &t, e) != 0) {
        free(lock_text);
        return -1;
    }
    struct kept *kept = NULL;
    size_t nk = 0;
    int rc = stage_packages(p, f, o, &t, st, &kept, &nk, e);
    if (rc == 0) {
        stage_removals(p, o->lock, &t, st, &kept, &nk);
    }
    if (rc == 0 && o->yaml != NULL && !same_text(o->yaml, o->yaml_len, p->yaml, p->yaml_len)) {
        rc = txn_put_file(&t, "cmrx.yaml", o->yaml, o->yaml_len, e);
    }
    if (rc == 0 && !o->keep_lock && !same_text(lock_text, lock_len, p->lock_text, p->lock_len)) {
        rc = txn_put_file(&t, "cmrx.lock", lock_text, lock_len, e);
    }
    free(lock_text);
    if (rc != 0 || txn_empty(&t)) {
        txn_abort(&t);
    } else {
        rc = txn_commit(&t, e);
    }
    for (size_t i = 0; i < nk; i++) {
        if (rc == 0) {
            ui_warn("packages/%s %s; your copy is kept in %s", kept[i].name, kept[i].why,
                    kept[i].where);
        }
        free(kept[i].name);
        free(kept[i].where);
        free(kept[i].why);
    }
    free(kept);
    return rc;
}
