#include "txn.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fsutil.h"

#define TXN_DIR  ".cmrx/txn"
#define KEPT_DIR ".cmrx/kept"

int txn_begin(const char *root, struct txn *t, struct err *e)
{
    memset(t, 0, sizeof(*t));
    t->root = xstrdup(root);
    t->dir = path_join(root, TXN_DIR);
    /* Unique per change: two changes in one second come from two processes. */
    time_t now = time(NULL);
    size_t n = strftime(t->stamp, sizeof(t->stamp), "%Y%m%d-%H%M%S", gmtime(&now));
    snprintf(t->stamp + n, sizeof(t->stamp) - n, "-%ld", (long)getpid());
    char *newdir = path_join(t->dir, "new");
    int rc = rm_rf(t->dir) != 0 || mkdir_p(newdir) != 0
                 ? err_set(e, "cannot create the staging folder %s: %s", t->dir, strerror(errno))
                 : 0;
    free(newdir);
    if (rc != 0) {
        txn_abort(t);
    }
    return rc;
}

static void add_step(struct txn *t, const char *op, const char *name, const char *stamp)
{
    char *line = xasprintf("%s%s %s%s%s\n", t->journal ? t->journal : "", op, name,
                           stamp ? " " : "", stamp ? stamp : "");
    free(t->journal);
    t->journal = line;
    t->len = strlen(line);
}

char *txn_stage(struct txn *t, const char *name)
{
    add_step(t, "install", name, NULL);
    return xasprintf("%s/new/%s", t->dir, name);
}

void txn_remove(struct txn *t, const char *name)
{
    add_step(t, "remove", name, NULL);
}

char *txn_keep(struct txn *t, const char *name)
{
    add_step(t, "keep", name, t->stamp);
    return xasprintf("%s/%s/%s", KEPT_DIR, t->stamp, name);
}

int txn_put_file(struct txn *t, const char *fname, const char *data, size_t len, struct err *e)
{
    char *path = path_join(t->dir, fname);
    int rc = write_file_atomic(path, data, len, e);
    free(path);
    if (rc == 0) {
        add_step(t, "file", fname, NULL);
    }
    return rc;
}

bool txn_empty(const struct txn *t)
{
    return t->journal == NULL;
}

void txn_abort(struct txn *t)
{
    if (t->dir != NULL) {
        rm_rf(t->dir);
    }
    if (t->root != NULL) { /* made for keeping folders, if nothing went there */
        char *kept = xasprintf("%s/%s/%s", t->root, KEPT_DIR, t->stamp);
        rmdir(kept);
        free(kept);
    }
    free(t->journal);
    free(t->root);
    free(t->dir);
    memset(t, 0, sizeof(*t));
}

/*
 * Every step moves what is at `dst` to `away` (if it is there), then puts
 * `src` (if the step has one) at `dst`:
 *   install NAME       txn/new/NAME -> packages/NAME, the old one -> txn/old/NAME
 *   remove NAME        packages/NAME -> txn/old/NAME
 *   keep NAME STAMP    packages/NAME -> .cmrx/kept/STAMP/NAME
 *   file F             txn/F -> F, the old one -> txn/orig/F
 * Whether each move is done shows on disk, so a step can be done and
 * undone again and again.
 */
struct step {
    char *src, *dst, *away;
};

/* Parse one journal line; its names are single entries, so no step can
 * reach outside the project. @return false for a line cmrx does not write. */
static bool parse_step(const char *root, const char *dir, const char *line, size_t n,
                       struct step *s)
{
    char op[16] = "", name[256] = "", stamp[48] = "", buf[400];
    memset(s, 0, sizeof(*s));
    if (n >= sizeof(buf)) {
        return false;
    }
    memcpy(buf, line, n);
    buf[n] = '\0';
    int fields = sscanf(buf, "%15s %255s %47s", op, name, stamp);
    bool keep = strcmp(op, "keep") == 0;
    if (fields != (keep ? 3 : 2) || strchr(stamp, '/') != NULL || !name_is_valid(name)) {
        return false;
    }
    if (strcmp(op, "file") == 0) {
        if (strcmp(name, "cmrx.yaml") != 0 && strcmp(name, "cmrx.lock") != 0) {
            return false;
        }
        s->src = path_join(dir, name);
        s->dst = path_join(root, name);
        s->away = xasprintf("%s/orig/%s", dir, name);
        return true;
    }
    if (!keep && strcmp(op, "install") != 0 && strcmp(op, "remove") != 0) {
        return false;
    }
    s->src = strcmp(op, "install") == 0 ? xasprintf("%s/new/%s", dir, name) : NULL;
    s->dst = xasprintf("%s/packages/%s", root, name);
    s->away = keep ? xasprintf("%s/%s/%s/%s", root, KEPT_DIR, stamp, name)
                   : xasprintf("%s/old/%s", dir, name);
    return true;
}

static int move(const char *from, const char *to, struct err *e)
{
    if (rename(from, to) != 0) {
        return err_set(e, "cannot move %s to %s: %s", from, to, strerror(errno));
    }
    return 0;
}

static int step_do(const struct step *s, struct err *e)
{
    if (s->src != NULL && !path_exists(s->src)) {
        return 0; /* done already */
    }
    if (path_exists(s->dst) && !path_exists(s->away) && move(s->dst, s->away, e) != 0) {
        return -1;
    }
    return s->src != NULL ? move(s->src, s->dst, e) : 0;
}

static int step_undo(const struct step *s, struct err *e)
{
    if (s->src != NULL && !path_exists(s->src) && path_exists(s->dst) &&
        move(s->dst, s->src, e) != 0) {
        return -1;
    }
    return path_exists(s->away) && !path_exists(s->dst) ? move(s->away, s->dst, e) : 0;
}

/* Run @p fn over the journal's steps, forwards, or backwards for undoing. */
static int each_step(const char *root, const char *dir, const char *journal, bool backwards,
                     int (*fn)(const struct step *, struct err *), struct err *e)
{
    size_t n = 0;
    const char **lines = xcalloc(strlen(journal) / 2 + 1, sizeof(char *)); /* lines >= 2 bytes */
    for (const char *c = journal; *c; c += strcspn(c, "\n") + (c[strcspn(c, "\n")] != 0)) {
        lines[n++] = c;
    }
    int rc = 0;
    for (size_t k = 0; rc == 0 && k < n; k++) {
        const char *line = lines[backwards ? n - 1 - k : k];
        size_t len = strcspn(line, "\n");
        struct step s;
        rc = parse_step(root, dir, line, len, &s) ? fn(&s, e)
                                                  : err_set(e, "%s/journal: unreadable line '%.*s'",
                                                            dir, (int)(len < 60 ? len : 60), line);
        free(s.src);
        free(s.dst);
        free(s.away);
    }
    free(lines);
    return rc;
}

/* Apply the journal; if a step fails, undo what was done. *undone tells
 * whether the project is back as it was. Either way the change is over,
 * and its staging folder goes, journal first. */
static int apply(const char *root, const char *dir, const char *journal, bool *undone,
                 struct err *e)
{
    char *pkgs = path_join(root, "packages");
    char *old = path_join(dir, "old"), *orig = path_join(dir, "orig");
    struct err ignored;
    int rc = mkdir_p(pkgs) != 0 || mkdir_p(old) != 0 || mkdir_p(orig) != 0
                 ? err_set(e, "cannot create %s: %s", old, strerror(errno))
                 : each_step(root, dir, journal, false, step_do, e);
    *undone = rc != 0 && each_step(root, dir, journal, true, step_undo, &ignored) == 0;
    if (rc == 0 || *undone) {
        fsync_parent(old);
        char *any = path_join(pkgs, ".");
        fsync_parent(any);
        free(any);
        char *j = path_join(dir, "journal");
        unlink(j);
        free(j);
        rm_rf(dir);
    }
    free(pkgs);
    free(old);
    free(orig);
    return rc;
}

/* Before the commit point: every move possible, kept/ made. A folder to
 * move must be writable itself (its ".." changes), and so must the folder
 * holding it. */
static int prepare(const struct txn *t, struct err *e)
{
    int rc = 0;
    for (const char *c = t->journal; rc == 0 && *c; c += strcspn(c, "\n") + 1) {
        struct step s;
        struct stat st;
        parse_step(t->root, t->dir, c, strcspn(c, "\n"), &s);
        char *parent = xstrdup(s.dst);
        *strrchr(parent, '/') = '\0';
        char *kept = xstrdup(s.away);
        *strrchr(kept, '/') = '\0';
        struct stat from, to;
        if (stat(parent, &from) == 0 && stat(t->dir, &to) == 0 && from.st_dev != to.st_dev) {
            /* A rename cannot cross file systems: it would fail after the commit point. */
            rc = err_set(e,
                         "cannot change the project: %s and %s/.cmrx are on different file "
                         "systems, and cmrx moves folders between them by renaming",
                         parent, t->root);
            err_hint(e, "keep the project's packages/ and .cmrx/ on one file system (not a mount "
                        "point or a link to elsewhere); nothing was changed");
        } else if (lstat(s.dst, &st) == 0 && (access(parent, W_OK) != 0 ||
                                              (S_ISDIR(st.st_mode) && access(s.dst, W_OK) != 0))) {
            rc = err_set(e,
                         "cannot change the project: %s cannot be %s (no permission to write "
                         "there)",
                         s.dst, s.src != NULL && strstr(c, "file") == c ? "replaced" : "moved");
            err_hint(e, "make it writable (chmod u+w, or chattr -i if it is immutable) and run "
                        "the command again; nothing was changed");
        } else if (strncmp(c, "keep ", 5) == 0 && mkdir_p(kept) != 0) {
            rc = err_set(e, "cannot create %s: %s", kept, strerror(errno));
        }
        free(parent);
        free(kept);
        free(s.src);
        free(s.dst);
        free(s.away);
    }
    return rc;
}

int txn_commit(struct txn *t, struct err *e)
{
    if (prepare(t, e) != 0) {
        txn_abort(t);
        return -1;
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
    int rc = write_file_atomic(jpath, t->journal, t->len, e);
    free(jpath);
    bool undone = false;
    if (rc == 0 && (rc = apply(t->root, t->dir, t->journal, &undone, e)) != 0 && undone) {
        err_hint(e, "nothing was changed: the steps already made were undone");
    } else if (rc != 0 && !undone) {
        err_hint(e,
                 "the change is recorded in %s; the next cmrx command in this project finishes "
                 "it once the cause is fixed",
                 t->dir);
        free(t->dir);
        t->dir = NULL; /* kept for txn_recover() */
    }
    txn_abort(t);
    sigprocmask(SIG_SETMASK, &saved, NULL);
    return rc;
}

int txn_recover(const char *root, enum txn_recovery *what, struct err *e)
{
    char *dir = path_join(root, TXN_DIR);
    char *jpath = path_join(dir, "journal");
    char *j = NULL;
    *what = TXN_NOTHING;
    int rc = 0;
    if (path_exists(jpath) && (rc = read_file(jpath, &j, NULL, e)) == 0) {
        bool undone;
        struct err why;
        if (apply(root, dir, j, &undone, &why) == 0) {
            *what = TXN_FINISHED;
        } else {
            *what = TXN_UNDONE;
            *e = why; /* undone: as it was before that change, and why */
            rc = undone ? 0 : -1;
        }
        if (rc != 0) {
            err_prefix(e, "cannot finish a change an interrupted cmrx left in %s: ", dir);
            err_hint(e, "fix the cause and run the command again; the change is kept in %s", dir);
        }
    } else if (!path_exists(jpath) && is_dir(dir)) {
        rm_rf(dir); /* interrupted before its commit point: nothing to undo */
    }
    free(j);
    free(jpath);
    free(dir);
    return rc;
}
