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
    char *newdir = path_join(t->dir, "new");
    char *orig = path_join(t->dir, "orig");
    int rc = 0;
    if (rm_rf(t->dir) != 0 || mkdir_p(newdir) != 0 || mkdir_p(orig) != 0) {
        rc = err_set(e, "cannot create the staging folder %s: %s", t->dir, strerror(errno));
    }
    free(newdir);
    free(orig);
    /* Unique per change: two changes in one second come from two processes. */
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    size_t n = strftime(t->stamp, sizeof(t->stamp), "%Y%m%d-%H%M%S", &tm);
    snprintf(t->stamp + n, sizeof(t->stamp) - n, "-%ld", (long)getpid());
    if (rc != 0) {
        txn_abort(t);
    }
    return rc;
}

static void add_step(struct txn *t, const char *op, const char *name, const char *extra)
{
    char *line = xasprintf("%s%s %s%s%s\n", t->journal ? t->journal : "", op, name,
                           extra ? " " : "", extra ? extra : "");
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

/* One journal line: "op name [stamp]". */
struct step {
    char op[16], name[256], stamp[48];
};

/* Steps name single entries: none can reach outside packages/. */
static bool parse_step(const char *line, size_t n, struct step *s)
{
    char buf[400];
    memset(s, 0, sizeof(*s));
    if (n >= sizeof(buf)) {
        return false;
    }
    memcpy(buf, line, n);
    buf[n] = '\0';
    int fields = sscanf(buf, "%15s %255s %47s", s->op, s->name, s->stamp);
    bool file = strcmp(s->op, "file") == 0;
    bool keep = strcmp(s->op, "keep") == 0;
    if (fields != (keep ? 3 : 2) || strchr(s->stamp, '/') != NULL) {
        return false;
    }
    if (file) {
        return strcmp(s->name, "cmrx.yaml") == 0 || strcmp(s->name, "cmrx.lock") == 0;
    }
    return (strcmp(s->op, "install") == 0
                ? name_is_valid(s->name)
                : strchr(s->name, '/') == NULL && strcmp(s->name, ".") != 0 &&
                      strcmp(s->name, "..") != 0) &&
           (keep || strcmp(s->op, "install") == 0 || strcmp(s->op, "remove") == 0);
}

/* The places one step moves things between. */
struct places {
    char *pkg;  /* packages/NAME */
    char *new;  /* txn/new/NAME (install) */
    char *away; /* where the old folder goes: txn/old/NAME or kept/STAMP/NAME */
    char *src;  /* txn/F (file) */
    char *dst;  /* root/F (file) */
    char *orig; /* txn/orig/F (file) */
};

static void places_of(const char *root, const char *dir, const struct step *s, struct places *p)
{
    memset(p, 0, sizeof(*p));
    if (strcmp(s->op, "file") == 0) {
        p->src = path_join(dir, s->name);
        p->dst = path_join(root, s->name);
        p->orig = xasprintf("%s/orig/%s", dir, s->name);
        return;
    }
    p->pkg = xasprintf("%s/packages/%s", root, s->name);
    p->new = xasprintf("%s/new/%s", dir, s->name);
    p->away = strcmp(s->op, "keep") == 0
                  ? xasprintf("%s/%s/%s/%s", root, KEPT_DIR, s->stamp, s->name)
                  : xasprintf("%s/old/%s", dir, s->name);
}

static void places_free(struct places *p)
{
    free(p->pkg);
    free(p->new);
    free(p->away);
    free(p->src);
    free(p->dst);
    free(p->orig);
}

static int move(const char *from, const char *to, struct err *e)
{
    if (rename(from, to) != 0) {
        return err_set(e, "cannot move %s to %s: %s", from, to, strerror(errno));
    }
    return 0;
}

/* Do one step; a step already done is done again harmlessly. */
static int step_do(const struct step *s, const struct places *p, struct err *e)
{
    if (p->src != NULL) {
        return path_exists(p->src) ? move(p->src, p->dst, e) : 0;
    }
    bool install = strcmp(s->op, "install") == 0;
    if (install && !path_exists(p->new)) {
        return 0; /* installed already */
    }
    if (path_exists(p->pkg) && !path_exists(p->away) && move(p->pkg, p->away, e) != 0) {
        return -1;
    }
    return install ? move(p->new, p->pkg, e) : 0;
}

/* Undo one step, done or not. */
static int step_undo(const struct step *s, const struct places *p, struct err *e)
{
    if (p->src != NULL) {
        if (path_exists(p->src)) {
            return 0; /* not done */
        }
        if (path_exists(p->orig)) {
            return move(p->orig, p->dst, e);
        }
        return unlink(p->dst) == 0 || errno == ENOENT ? 0 : err_set(e, "cannot remove %s", p->dst);
    }
    if (strcmp(s->op, "install") == 0 && !path_exists(p->new) && path_exists(p->pkg) &&
        move(p->pkg, p->new, e) != 0) {
        return -1;
    }
    if (path_exists(p->away) && !path_exists(p->pkg)) {
        return move(p->away, p->pkg, e);
    }
    return 0;
}

/* Run @p fn over the journal's steps, forwards, or backwards for undoing. */
static int each_step(const char *root, const char *dir, const char *journal, bool backwards,
                     int (*fn)(const struct step *, const struct places *, struct err *),
                     struct err *e)
{
    size_t n = 0;
    for (const char *c = journal; *c; c += strcspn(c, "\n") + (c[strcspn(c, "\n")] == '\n')) {
        n++;
    }
    const char **lines = xcalloc(n + 1, sizeof(char *));
    n = 0;
    for (const char *c = journal; *c; c += strcspn(c, "\n") + (c[strcspn(c, "\n")] == '\n')) {
        lines[n++] = c;
    }
    int rc = 0;
    for (size_t k = 0; rc == 0 && k < n; k++) {
        const char *line = lines[backwards ? n - 1 - k : k];
        size_t len = strcspn(line, "\n");
        struct step s;
        struct places p;
        if (!parse_step(line, len, &s)) {
            rc = err_set(e, "%s/journal: unreadable line '%.*s'", dir, (int)(len < 60 ? len : 60),
                         line);
            break;
        }
        places_of(root, dir, &s, &p);
        rc = fn(&s, &p, e);
        places_free(&p);
    }
    free(lines);
    return rc;
}

/* The change is over (done or undone): its staging folder goes. */
static void finish(const char *root, const char *dir)
{
    char *pkgs = path_join(root, "packages");
    fsync_parent(pkgs);
    char *any = path_join(pkgs, ".");
    fsync_parent(any);
    free(any);
    free(pkgs);
    char *j = path_join(dir, "journal");
    unlink(j); /* first: a change without journal is never applied again */
    free(j);
    rm_rf(dir);
}

/* Apply the journal; if a step fails, undo what was done. *undone tells
 * whether the project is back as it was. */
static int apply(const char *root, const char *dir, const char *journal, bool *undone,
                 struct err *e)
{
    char *pkgs = path_join(root, "packages");
    char *old = path_join(dir, "old");
    *undone = false;
    int rc = mkdir_p(pkgs) != 0 || mkdir_p(old) != 0
                 ? err_set(e, "cannot create %s: %s", pkgs, strerror(errno))
                 : each_step(root, dir, journal, false, step_do, e);
    if (rc != 0) {
        struct err ignored;
        *undone = each_step(root, dir, journal, true, step_undo, &ignored) == 0;
    }
    if (rc == 0 || *undone) {
        finish(root, dir);
    }
    free(pkgs);
    free(old);
    return rc;
}

/* Whether @p path can be moved to another folder: a folder must be writable
 * itself (its ".." changes), and so must the folder holding it. */
static bool movable(const char *path)
{
    struct stat st;
    char *parent = xstrdup(path);
    *strrchr(parent, '/') = '\0';
    bool ok = access(parent, W_OK) == 0 &&
              (lstat(path, &st) != 0 || !S_ISDIR(st.st_mode) || access(path, W_OK) == 0);
    free(parent);
    return ok;
}

/* Before the commit point: every move possible, the old project files
 * linked into orig/ (so that the change can be undone), kept/ made. */
static int prepare(const struct txn *t, struct err *e)
{
    for (const char *c = t->journal; *c; c += strcspn(c, "\n") + 1) {
        struct step s;
        struct places p;
        parse_step(c, strcspn(c, "\n"), &s);
        places_of(t->root, t->dir, &s, &p);
        const char *what = p.dst != NULL ? p.dst : p.pkg;
        int rc = 0;
        if (path_exists(what) && !movable(what)) {
            rc = err_set(e, "cannot change the project: %s cannot be %s (%s)", what,
                         p.dst != NULL ? "replaced" : "moved", "no permission to write there");
            err_hint(e, "make it writable (chmod u+w, or chattr -i if it is immutable) and run "
                        "the command again; nothing was changed");
        } else if (p.dst != NULL && path_exists(p.dst) && link(p.dst, p.orig) != 0) {
            rc = err_set(e, "cannot keep the old %s: %s", p.dst, strerror(errno));
        } else if (strcmp(s.op, "keep") == 0) {
            char *kept = xasprintf("%s/%s/%s", t->root, KEPT_DIR, s.stamp);
            if (mkdir_p(kept) != 0) {
                rc = err_set(e, "cannot create %s: %s", kept, strerror(errno));
            }
            free(kept);
        }
        places_free(&p);
        if (rc != 0) {
            return -1;
        }
    }
    return 0;
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
    if (rc == 0 && (rc = apply(t->root, t->dir, t->journal, &undone, e)) != 0) {
        if (undone) {
            err_hint(e, "nothing was changed: the steps already made were undone");
        } else {
            err_hint(e,
                     "the change is recorded in %s; the next cmrx command in this project "
                     "finishes it once the cause is fixed",
                     t->dir);
            free(t->dir);
            t->dir = NULL; /* keep it for txn_recover() */
        }
    }
    txn_abort(t);
    sigprocmask(SIG_SETMASK, &saved, NULL);
    return rc;
}

int txn_recover(const char *root, enum txn_recovery *what, struct err *e)
{
    char *dir = path_join(root, TXN_DIR);
    char *jpath = path_join(dir, "journal");
    *what = TXN_NOTHING;
    int rc = 0;
    if (path_exists(jpath)) {
        char *j = NULL;
        bool undone = false;
        struct err why;
        rc = read_file(jpath, &j, NULL, e);
        if (rc == 0) {
            rc = apply(root, dir, j, &undone, &why);
            *what = rc == 0 ? TXN_FINISHED : TXN_UNDONE;
            if (rc != 0) {
                *e = why; /* undone: as it was before that change, and why */
                rc = undone ? 0 : -1;
            }
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
