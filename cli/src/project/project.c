#include "project.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "fsutil.h"
#include "semver.h"
#include "txn.h"
#include "ui.h"

char *project_find(const char *dir, struct err *e)
{
    if (dir != NULL) {
        /* The folder's one name (the working folder has it already): a
         * build folder knows the path it was made for, and reached through
         * a symbolic link, the project was built again from scratch. */
        char *root = path_physical(dir);
        char *m = path_join(root, "cmrx.yaml");
        bool ok = path_exists(m);
        free(m);
        if (!ok && !path_exists(root)) { /* -C to a folder that is not there */
            err_set(e, "%s does not exist", root);
            err_hint(e, "-C names the project's folder; `cmrx new NAME` creates a project");
        } else if (!ok) {
            err_set(e, "%s holds no cmrx.yaml", root);
            err_hint(e, "`cmrx new NAME` creates a project");
        }
        if (!ok) {
            free(root);
            return NULL;
        }
        return root;
    }
    char *cur = path_absolute(".");
    for (;;) {
        char *m = path_join(cur, "cmrx.yaml");
        bool ok = path_exists(m);
        free(m);
        if (ok) {
            return cur;
        }
        char *slash = strrchr(cur, '/');
        if (slash == NULL || slash == cur) {
            break;
        }
        *slash = '\0';
    }
    free(cur);
    char *here = path_absolute(".");
    err_set(e, "no cmrx.yaml in %s or any folder above it", here);
    err_hint(e, "run this inside a project (or pass -C DIR); `cmrx new NAME` creates one");
    free(here);
    return NULL;
}

static int take_lock(struct project *p, struct err *e)
{
    char *dir = path_join(p->root, ".cmrx");
    char *path = path_join(dir, "lock");
    int rc = 0;
    const char *why = NULL;
    if (mkdir_p(dir) != 0 || (p->lock_fd = lock_file_open(path, &why)) < 0) {
        bool link = why != NULL && errno == ELOOP;
        rc = err_set(e, "cannot create %s: %s", path, why ? why : strerror(errno));
        if (link) {
            err_hint(e, "delete it; cmrx makes it anew");
        }
    } else if (flock(p->lock_fd, LOCK_EX | LOCK_NB) != 0) {
        ui_status("Waiting", "for another cmrx command in this project to finish");
        if (flock(p->lock_fd, LOCK_EX) != 0) {
            rc = err_set(e, "cannot lock %s: %s", path, strerror(errno));
        }
    }
    free(dir);
    free(path);
    return rc;
}

int project_open(const char *root, struct project *p, struct err *e)
{
    memset(p, 0, sizeof(*p));
    p->lock_fd = -1;
    p->root = xstrdup(root);
    p->manifest_path = path_join(root, "cmrx.yaml");
    p->lock_path = path_join(root, "cmrx.lock");
    enum txn_recovery what;
    if (take_lock(p, e) != 0 || txn_recover(root, &what, e) != 0) {
        project_close(p);
        return -1;
    }
    if (what == TXN_FINISHED) {
        ui_warn("finished a change to this project that an interrupted cmrx had committed");
    } else if (what == TXN_UNDONE) {
        ui_warn("undid a change to this project that an interrupted cmrx had committed but that "
                "cannot be finished (%s); the project is as it was before it",
                e->msg);
    }
    if (read_file(p->manifest_path, &p->yaml, &p->yaml_len, e) != 0 ||
        manifest_parse("cmrx.yaml", p->yaml, p->yaml_len, &p->m, e) != 0) {
        project_close(p);
        return -1;
    }
    if (path_exists(p->lock_path)) {
        if (read_file(p->lock_path, &p->lock_text, &p->lock_len, e) != 0 ||
            lock_parse("cmrx.lock", p->lock_text, p->lock_len, &p->lock, e) != 0) {
            project_close(p);
            return -1;
        }
    }
    return 0;
}

void project_close(struct project *p)
{
    manifest_free(&p->m);
    lock_free(&p->lock);
    free(p->yaml);
    free(p->lock_text);
    free(p->root);
    free(p->manifest_path);
    free(p->lock_path);
    if (p->lock_fd >= 0) {
        close(p->lock_fd);
    }
    memset(p, 0, sizeof(*p));
    p->lock_fd = -1;
}

static int stale(struct err *e, const char *fmt, const char *a, const char *b)
{
    char msg[512];
    snprintf(msg, sizeof(msg), fmt, a, b);
    err_set(e, "cmrx.lock does not match cmrx.yaml: %s", msg);
    return err_hint(e, "run `cmrx update` to resolve cmrx.yaml again and rewrite cmrx.lock");
}

static int check_locked(const struct project *p, const char *name, const char *constraint,
                        unsigned long line, struct err *e)
{
    char where[64] = "cmrx.yaml";
    if (line != 0) { /* 0: not written in cmrx.yaml, e.g. no 'kernel:' */
        snprintf(where, sizeof(where), "cmrx.yaml:%lu", line);
    }
    const struct lock_pkg *lp = lock_find(&p->lock, name);
    if (lp == NULL) {
        return stale(e, "'%s' (%s) is not locked", name, where);
    }
    struct constraint c;
    struct semver v;
    struct err ignored;
    if (constraint != NULL && constraint_parse(constraint, &c, &ignored) == 0 &&
        semver_parse(lp->version, &v, &ignored) == 0 && !constraint_match(&c, &v)) {
        char what[200];
        snprintf(what, sizeof(what), "%s %s", name, lp->version);
        return stale(e, "locked %s does not match the constraint of %s", what, where);
    }
    return 0;
}

int project_lock_matches(const struct project *p, struct err *e)
{
    if (p->lock_text == NULL) {
        err_set(e, "%s: no cmrx.lock yet", p->root);
        return err_hint(e, "run `cmrx update` to resolve cmrx.yaml and write cmrx.lock");
    }
    const struct lock_pkg *b = lock_find(&p->lock, p->m.board);
    if (b == NULL || b->kind != KIND_BSP) {
        char where[64];
        snprintf(where, sizeof(where), "cmrx.yaml:%lu", p->m.board_line);
        return stale(e, "board '%s' (%s) is not locked", p->m.board, where);
    }
    if (check_locked(p, "kernel", p->m.kernel, p->m.kernel_line, e) != 0) {
        return -1;
    }
    for (size_t i = 0; i < p->m.n_deps; i++) {
        const struct dependency *d = &p->m.deps[i];
        if (check_locked(p, d->name, d->constraint, d->line, e)) {
            return -1;
        }
        const struct lock_pkg *lp = lock_find(&p->lock, d->name);
        if (d->git != NULL && (!str_equal(lp->git, d->git) || !str_equal(lp->tag, d->tag) ||
                               (d->rev != NULL && !str_equal(lp->commit, d->rev)))) {
            char what[96], src[1100];
            snprintf(what, sizeof(what), "'%s' (cmrx.yaml:%lu)", d->name, d->line);
            snprintf(src, sizeof(src), "%s %s", lp->git, lp->tag ? lp->tag : lp->commit);
            return stale(e, "%s is locked from %s, not from the git source it names", what, src);
        }
    }
    return 0;
}
