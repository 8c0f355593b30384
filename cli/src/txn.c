#include "txn.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fsutil.h"

#define TXN_DIR ".cmrx/txn"

/* A single folder entry name: cannot reach outside packages/. */
static bool entry_is_safe(const char *n)
{
    return n[0] != '\0' && strchr(n, '/') == NULL && strcmp(n, ".") != 0 && strcmp(n, "..") != 0;
}

static bool is_project_file(const char *f)
{
    return strcmp(f, "cmrx.yaml") == 0 || strcmp(f, "cmrx.lock") == 0;
}

int txn_begin(const char *root, struct txn *t, struct err *e)
{
    memset(t, 0, sizeof(*t));
    t->root = xstrdup(root);
    t->dir = path_join(root, TXN_DIR);
    char *newdir = path_join(t->dir, "new");
    int rc = 0;
    if (rm_rf(t->dir) != 0 || mkdir_p(newdir) != 0) {
        rc = err_set(e, "cannot create the staging folder %s: %s", t->dir, strerror(errno));
    }
    free(newdir);
    if (rc != 0) {
        txn_abort(t);
    }
    return rc;
}

char *txn_stage(struct txn *t, const char *name)
{
    t->install = xrealloc(t->install, (t->n_install + 1) * sizeof(char *));
    t->install[t->n_install++] = xstrdup(name);
    return xasprintf("%s/new/%s", t->dir, name);
}

void txn_remove(struct txn *t, const char *name)
{
    t->remove = xrealloc(t->remove, (t->n_remove + 1) * sizeof(char *));
    t->remove[t->n_remove++] = xstrdup(name);
}

int txn_put_file(struct txn *t, const char *fname, const char *data, size_t len, struct err *e)
{
    char *path = path_join(t->dir, fname);
    int rc = write_file_atomic(path, data, len, e);
    free(path);
    if (rc == 0) {
        t->files[t->n_files++] = xstrdup(fname);
    }
    return rc;
}

bool txn_empty(const struct txn *t)
{
    return t->n_install == 0 && t->n_remove == 0 && t->n_files == 0;
}

void txn_abort(struct txn *t)
{
    if (t->dir != NULL) {
        rm_rf(t->dir);
    }
    strv_free(t->install, t->n_install);
    strv_free(t->remove, t->n_remove);
    for (size_t i = 0; i < t->n_files; i++) {
        free(t->files[i]);
    }
    free(t->root);
    free(t->dir);
    memset(t, 0, sizeof(*t));
}

/* Move packages/name aside into old/ (kept until the end, then deleted). */
static int move_aside(const char *pkgs, const char *dir, const char *name, struct err *e)
{
    char *dst = path_join(pkgs, name);
    char *old = xasprintf("%s/old/%s", dir, name);
    int rc = 0;
    if (path_exists(dst)) {
        if (path_exists(old)) {
            rc = rm_rf(dst); /* already moved once; this copy is a re-run leftover */
        } else {
            rc = rename(dst, old);
        }
        if (rc != 0) {
            err_set(e, "cannot move %s aside: %s", dst, strerror(errno));
        }
    }
    free(dst);
    free(old);
    return rc;
}

/* Apply the journal in dir; every step may already have been done. */
static int apply(const char *root, const char *dir, const char *journal, struct err *e)
{
    char *pkgs = path_join(root, "packages");
    char *olddir = path_join(dir, "old");
    int rc = 0;
    if (mkdir_p(pkgs) != 0 || mkdir_p(olddir) != 0) {
        rc = err_set(e, "cannot create %s: %s", pkgs, strerror(errno));
    }
    for (const char *line = journal; rc == 0 && *line != '\0';) {
        size_t n = strcspn(line, "\n"), sp = strcspn(line, " ");
        char op[16] = "", arg[256] = "";
        if (sp < n && sp < sizeof(op) && n - sp - 1 < sizeof(arg)) {
            memcpy(op, line, sp);
            memcpy(arg, line + sp + 1, n - sp - 1);
        }
        if (strcmp(op, "install") == 0 && name_is_valid(arg)) {
            char *src = xasprintf("%s/new/%s", dir, arg);
            char *dst = path_join(pkgs, arg);
            if (path_exists(src)) {
                rc = move_aside(pkgs, dir, arg, e);
                if (rc == 0 && rename(src, dst) != 0) {
                    rc = err_set(e, "cannot install %s: %s", dst, strerror(errno));
                }
            }
            free(src);
            free(dst);
        } else if (strcmp(op, "remove") == 0 && entry_is_safe(arg)) {
            rc = move_aside(pkgs, dir, arg, e);
        } else if (strcmp(op, "file") == 0 && is_project_file(arg)) {
            char *src = path_join(dir, arg);
            char *dst = path_join(root, arg);
            if (path_exists(src) && rename(src, dst) != 0) {
                rc = err_set(e, "cannot replace %s: %s", dst, strerror(errno));
            }
            free(src);
            free(dst);
        } else {
            rc =
                err_set(e, "%s/journal: unreadable line '%.*s'", dir, (int)(n < 60 ? n : 60), line);
        }
        line += n + (line[n] == '\n');
    }
    if (rc == 0) {
        fsync_parent(pkgs);
        char *any = path_join(pkgs, ".");
        fsync_parent(any);
        free(any);
        char *j = path_join(dir, "journal");
        unlink(j);
        free(j);
        rm_rf(dir);
    }
    free(pkgs);
    free(olddir);
    return rc;
}

int txn_commit(struct txn *t, struct err *e)
{
    size_t cap = 64;
    for (size_t i = 0; i < t->n_install; i++) {
        cap += strlen(t->install[i]) + 10;
    }
    for (size_t i = 0; i < t->n_remove; i++) {
        cap += strlen(t->remove[i]) + 10;
    }
    char *j = xcalloc(1, cap + 40);
    for (size_t i = 0; i < t->n_install; i++) {
        sprintf(j + strlen(j), "install %s\n", t->install[i]);
    }
    for (size_t i = 0; i < t->n_remove; i++) {
        sprintf(j + strlen(j), "remove %s\n", t->remove[i]);
    }
    for (size_t i = 0; i < t->n_files; i++) {
        sprintf(j + strlen(j), "file %s\n", t->files[i]);
    }
    /* Hold back Ctrl-C and friends from the commit point to the end, so
     * only SIGKILL or a crash can leave a change for txn_recover(). */
    sigset_t block, saved;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGHUP);
    sigaddset(&block, SIGQUIT);
    sigprocmask(SIG_BLOCK, &block, &saved);
    char *jpath = path_join(t->dir, "journal");
    int rc = write_file_atomic(jpath, j, strlen(j), e);
    free(jpath);
    if (rc == 0) {
        rc = apply(t->root, t->dir, j, e);
        if (rc != 0) {
            err_hint(e,
                     "the change is recorded in %s; the next cmrx command in this project "
                     "finishes it once the cause is fixed",
                     t->dir);
            free(t->dir);
            t->dir = NULL; /* keep it for txn_recover() */
        }
    }
    free(j);
    txn_abort(t);
    sigprocmask(SIG_SETMASK, &saved, NULL);
    return rc;
}

int txn_recover(const char *root, bool *finished, struct err *e)
{
    char *dir = path_join(root, TXN_DIR);
    char *jpath = path_join(dir, "journal");
    *finished = false;
    int rc = 0;
    if (path_exists(jpath)) {
        char *j = NULL;
        rc = read_file(jpath, &j, NULL, e);
        if (rc == 0) {
            rc = apply(root, dir, j, e);
            *finished = rc == 0;
        }
        free(j);
        if (rc != 0) {
            err_prefix(e, "cannot finish a change an interrupted cmrx left in %s: ", dir);
            err_hint(e, "fix the cause and run the command again; the change is kept in %s", dir);
        }
    } else if (is_dir(dir)) {
        rm_rf(dir); /* interrupted before its commit point: nothing to undo */
    }
    free(jpath);
    free(dir);
    return rc;
}
