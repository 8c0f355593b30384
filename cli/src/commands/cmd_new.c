/* cmrx new NAME: a new project folder from a template, with its board,
 * kernel and the template's dependencies resolved, locked and fetched. The
 * folder is built under a hidden name of its own beside its final place
 * and renamed at the end, so it appears complete or not at all. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bsp.h"
#include "cli.h"
#include "fsutil.h"
#include "session.h"
#include "source.h"
#include "sync.h"
#include "template.h"
#include "ui.h"

#define DEFAULT_BOARD    "qemu-mps2-an385"
#define DEFAULT_TEMPLATE "hello"

/* Fill the placeholders @p vars in every file under @p dir. */
static int fill_placeholders(const char *dir, const struct tmpl_var *vars, size_t n, struct err *e)
{
    DIR *d = opendir(dir);
    if (d == NULL) {
        return err_set(e, "%s: %s", dir, strerror(errno));
    }
    int rc = 0;
    struct dirent *de;
    while (rc == 0 && (de = dir_next(d)) != NULL) {
        char *p = path_join(dir, de->d_name);
        struct stat st;
        char *text = NULL, *filled = NULL;
        size_t len = 0;
        if (lstat(p, &st) != 0) {
            rc = err_set(e, "%s: %s", p, strerror(errno));
        } else if (S_ISDIR(st.st_mode)) {
            rc = fill_placeholders(p, vars, n, e);
        } else if (S_ISREG(st.st_mode)) {
            rc = read_file(p, &text, &len, e);
        }
        /* Text files only: a NUL byte means binary, left as it is. */
        if (rc == 0 && text != NULL && strlen(text) == len &&
            (filled = tmpl_fill(text, vars, n)) != NULL) {
            rc = write_file_atomic(p, filled, strlen(filled), e);
            chmod(p, st.st_mode & 07777);
        }
        free(filled);
        free(text);
        free(p);
    }
    closedir(d);
    return rc;
}

/* The template's template.yaml, read from the cache at the pinned commit
 * (nothing is written yet). @return 0 (@p meta empty when there is none) or -1. */
static int read_meta(struct session *s, const struct reg_package *t, const struct lock_pkg *p,
                     struct tmpl_meta *meta, struct err *e)
{
    char *text = NULL;
    size_t len = 0;
    int rc = source_read(s->f, s->reg.self_git, p, TEMPLATE_META, &text, &len, e);
    if (rc == 0 && tmpl_meta_parse(TEMPLATE_META, text, len, meta, e) != 0) {
        rc = err_prefix(e, "template '%s' is broken: ", t->name);
        err_hint(e, "tell the template's maintainer; another template works meanwhile (`cmrx "
                    "templates`)");
    }
    free(text);
    return rc < 0 ? -1 : 0;
}

/* Check out the newest version of template @p t into @p dir, if it is made
 * for @p board: its template.yaml is read first, and not written. */
static int unpack_template(struct session *s, const struct reg_package *t, const char *project,
                           const char *board, const char *dir, struct tmpl_meta *meta,
                           struct err *e)
{
    const struct reg_version *v = &t->versions[0];
    struct resolution res = {&v, 1};
    struct resolve_opts ro = {.reg = &s->reg};
    struct lock one;
    if (source_pin(&s->reg, &res, NULL, &ro, s->f, &one, e) != 0) {
        return -1;
    }
    char why[1024];
    int rc = read_meta(s, t, &one.pkgs[0], meta, e);
    /* template.yaml's boards now; the peripherals once the board is locked (build()). */
    if (rc == 0 && !tmpl_supports(meta, v, board, NULL, why, sizeof(why))) {
        rc = err_usage(e, "template '%s' %s", t->name, why);
        err_hint(e, "choose one of those with --board, e.g. `cmrx new %s --template %s --board %s`",
                 project, t->name, meta->boards[0].board);
    }
    if (rc == 0) {
        rc = source_materialize(s->f, s->reg.self_git, &one.pkgs[0], dir, NULL, e);
    }
    char *meta_path = path_join(dir, TEMPLATE_META);
    if (rc == 0 && meta->n_boards > 0 && unlink(meta_path) != 0) {
        rc = err_set(e, "%s: %s", meta_path, strerror(errno));
    }
    free(meta_path);
    lock_free(&one);
    return rc;
}

/* The placeholders of a project: its name, its board and the board's
 * values from template.yaml, in a tmpl_board of their own. */
static void project_vars(const char *name, const char *board, const struct tmpl_meta *meta,
                         struct tmpl_board *out)
{
    const struct tmpl_board *b = tmpl_meta_board(meta, board);
    size_t extra = b ? b->n_vars : 0;
    out->vars = xcalloc(2 + extra, sizeof(*out->vars));
    out->vars[0] = (struct tmpl_var){xstrdup("name"), xstrdup(name)};
    out->vars[1] = (struct tmpl_var){xstrdup("board"), xstrdup(board)};
    for (size_t i = 0; i < extra; i++) {
        out->vars[2 + i] = (struct tmpl_var){xstrdup(b->vars[i].name), xstrdup(b->vars[i].value)};
    }
    out->n_vars = 2 + extra;
}

/* cmrx.yaml of the new project lists --registry R (unless it is the default
 * one), so that the project finds its packages again without the flag. */
static int list_registry(const char *yaml_path, const struct cli *c, const struct registry *reg,
                         struct err *e)
{
    if (c->registry == NULL || *c->registry == '\0') {
        return 0;
    }
    char *loc = path_is_url(c->registry) ? xstrdup(c->registry) : path_absolute(c->registry);
    char *text = NULL, *out = NULL;
    size_t len, olen;
    bool lost;
    struct manifest_edit ed = {EDIT_ADD_REGISTRY, loc, NULL};
    int rc = 0;
    if (strcmp(loc, reg->location) != 0) {
        rc = read_file(yaml_path, &text, &len, e) ||
             manifest_edit("cmrx.yaml", text, len, &ed, &out, &olen, &lost, e) ||
             write_file_atomic(yaml_path, out, olen, e);
    }
    free(out);
    free(text);
    free(loc);
    return rc ? -1 : 0;
}

/* Whether moving the tree @p from into @p to would replace anything of
 * @p to's: names the first such path (relative, in @p clash). */
static bool collides(const char *from, const char *to, const char *rel, char **clash)
{
    DIR *d = opendir(from);
    bool hit = false;
    struct dirent *de;
    while (!hit && d != NULL && (de = dir_next(d)) != NULL) {
        char *f = path_join(from, de->d_name), *t = path_join(to, de->d_name);
        char *r = rel[0] ? xasprintf("%s/%s", rel, de->d_name) : xstrdup(de->d_name);
        struct stat fs, ts;
        if (lstat(t, &ts) == 0) {
            hit = !(lstat(f, &fs) == 0 && S_ISDIR(fs.st_mode) && S_ISDIR(ts.st_mode)) ||
                  collides(f, t, r, clash);
            if (hit && *clash == NULL) {
                *clash = xstrdup(r);
            }
        }
        free(r);
        free(t);
        free(f);
    }
    if (d != NULL) {
        closedir(d);
    }
    return hit;
}

/* The user's own README.md stays where `cmrx init` finds one (most folders
 * have one, every template too); the template's is dropped. */
#define KEPT_FILE "README.md"
/* The user's .gitignore stays too, and gets the template's lines it lacks
 * (the build output and fetched packages must not be committed). */
#define IGNORE_FILE ".gitignore"

/* The line at @p p (up to @p end): its length without trailing blanks in
 * @p len. @return where the next line starts. */
static const char *line_at(const char *p, const char *end, size_t *len)
{
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    size_t l = (size_t)((nl != NULL ? nl : end) - p);
    while (l > 0 && (p[l - 1] == '\r' || p[l - 1] == ' ' || p[l - 1] == '\t')) {
        l--;
    }
    *len = l;
    return nl != NULL ? nl + 1 : end;
}

/* Whether text @p t (@p n bytes) has line @p line (@p len bytes). */
static bool has_line(const char *t, size_t n, const char *line, size_t len)
{
    for (const char *p = t, *end = t + n, *next; p < end; p = next) {
        size_t l;
        next = line_at(p, end, &l);
        if (l == len && memcmp(p, line, len) == 0) {
            return true;
        }
    }
    return false;
}

/* Whether a rule of @p mine (@p n bytes) already decides about the
 * project's top-level entry that template rule @p rule (@p len bytes)
 * ignores: the templates' rules are all "/NAME" or "/NAME/". Git lets
 * "build/", "/build", "build" or "b*" ignore the folder /build/ too (a
 * pattern without an inner slash matches at any level, a trailing slash
 * limits it to folders), and a "!" rule is the user's say that it is kept.
 * Any other rule is looked for as the same line. */
static bool ignore_decided(const char *mine, size_t n, const char *rule, size_t len)
{
    bool dir = len > 1 && rule[len - 1] == '/';
    size_t nlen = len - 1 - (dir ? 1u : 0u);
    if (len < 2 || rule[0] != '/' || nlen == 0 || memchr(rule + 1, '/', nlen) != NULL) {
        return has_line(mine, n, rule, len);
    }
    char *name = xasprintf("%.*s", (int)nlen, rule + 1);
    bool hit = false;
    for (const char *p = mine, *end = mine + n, *next; !hit && p < end; p = next) {
        size_t l;
        next = line_at(p, end, &l);
        size_t a = l > 0 && p[0] == '!' ? 1u : 0u;
        a += l > a && p[a] == '/' ? 1u : 0u;
        size_t b = l;
        bool only_dirs = b > a && p[b - 1] == '/';
        b -= only_dirs ? 1u : 0u;
        if (b == a || p[0] == '#' || memchr(p + a, '/', b - a) != NULL || (only_dirs && !dir)) {
            continue; /* a comment, nothing, a deeper path, or folders for a file */
        }
        char *pat = xasprintf("%.*s", (int)(b - a), p + a);
        hit = fnmatch(pat, name, FNM_PATHNAME) == 0;
        free(pat);
    }
    free(name);
    return hit;
}

/* The rules of template .gitignore @p theirs that the user's @p mine does
 * not decide yet, one per line ("" if none). Comments and blank lines are
 * not rules. */
static char *ignore_missing(const char *mine, size_t nmine, const char *theirs, size_t ntheirs)
{
    char *out = xstrdup("");
    for (const char *p = theirs, *end = theirs + ntheirs, *next; p < end; p = next) {
        size_t l;
        next = line_at(p, end, &l);
        if (l > 0 && p[0] != '#' && !ignore_decided(mine, nmine, p, l)) {
            char *more = xasprintf("%s%.*s\n", out, (int)l, p);
            free(out);
            out = more;
        }
    }
    return out;
}

/* For `cmrx init` into @p into: the files the folder and staged project
 * @p tmp both have that the user keeps. The template's README.md is
 * dropped (@p readme: there was one); so is its .gitignore, whose rules
 * the folder's lacks go to @p add ("" if none; NULL: nothing to merge). */
static int keep_users_files(const char *tmp, const char *into, bool *readme, char **add,
                            struct err *e)
{
    *add = NULL;
    char *mine = path_join(into, KEPT_FILE), *theirs = path_join(tmp, KEPT_FILE);
    *readme = path_exists(mine) && path_exists(theirs);
    int rc = *readme && unlink(theirs) != 0 ? err_set(e, "%s: %s", theirs, strerror(errno)) : 0;
    free(theirs);
    free(mine);
    mine = path_join(into, IGNORE_FILE);
    theirs = path_join(tmp, IGNORE_FILE);
    char *mt = NULL, *tt = NULL;
    size_t ml = 0, tl = 0;
    if (rc == 0 && path_exists(mine) && path_exists(theirs)) {
        rc = read_file(mine, &mt, &ml, e) || read_file(theirs, &tt, &tl, e) ? -1 : 0;
        if (rc == 0 && unlink(theirs) != 0) {
            rc = err_set(e, "%s: %s", theirs, strerror(errno));
        }
        if (rc == 0) {
            *add = ignore_missing(mt, ml, tt, tl);
        }
    }
    free(mt);
    free(tt);
    free(theirs);
    free(mine);
    return rc;
}

/* Append rules @p add to the .gitignore of @p into, under a comment that
 * says where they come from. */
static int ignore_merge(const char *into, const char *add, const char *tname, struct err *e)
{
    char *path = path_join(into, IGNORE_FILE);
    char *text = NULL;
    size_t len = 0;
    int rc = read_file(path, &text, &len, e);
    if (rc == 0) {
        char *out =
            xasprintf("%.*s%s# Added by cmrx init (template '%s'): build output, fetched "
                      "packages, cmrx's work folder.\n%s",
                      (int)len, text, len > 0 && text[len - 1] != '\n' ? "\n" : "", tname, add);
        rc = write_file_atomic(path, out, strlen(out), e);
        free(out);
    }
    free(text);
    free(path);
    return rc;
}

/* Whether `cmrx init` of staged project @p tmp into @p into would replace
 * anything of the user's: a file of the template, cmrx.lock or a package
 * folder of @p lock. Checked before anything is said to be added. */
static int check_clashes(const char *tmp, const char *into, const char *tname,
                         const struct lock *lock, struct err *e)
{
    char *clash = NULL;
    if (!collides(tmp, into, "", &clash)) {
        for (size_t i = 0; clash == NULL && i <= lock->n; i++) {
            char *rel =
                i < lock->n ? xasprintf("packages/%s", lock->pkgs[i].name) : xstrdup("cmrx.lock");
            char *p = path_join(into, rel);
            struct stat st;
            clash = lstat(p, &st) == 0 ? rel : NULL;
            if (clash == NULL) {
                free(rel);
            }
            free(p);
        }
    }
    int rc = 0;
    if (clash != NULL) {
        rc = err_set(e, "%s/%s exists, and the project from template '%s' has it too", into, clash,
                     tname);
        /* blank has the fewest files: no use suggesting it when it clashed. */
        err_hint(e, "move it away, or choose another template (`cmrx templates`%s)",
                 strcmp(tname, "blank") != 0 ? "; 'blank' has the fewest files" : "");
    }
    free(clash);
    return rc;
}

/* Make the project in @p tmp; for `cmrx init`, to be moved into folder
 * @p into (NULL for `cmrx new`), whose files it must not replace. */
static int build(struct session *s, const struct cli *c, const char *tmp, const char *project,
                 const char *name, const char *board, const struct reg_package *t, const char *into,
                 struct lock *lock, char **ignore_add, struct err *e)
{
    char *yaml_path = path_join(tmp, "cmrx.yaml");
    char *text = NULL;
    size_t len;
    struct manifest m = {0};
    struct tmpl_meta meta = {0};
    int rc = unpack_template(s, t, project, board, tmp, &meta, e);
    bool keep = false;
    if (rc == 0 && into != NULL) {
        rc = keep_users_files(tmp, into, &keep, ignore_add, e);
    }
    if (rc == 0) {
        struct tmpl_board vars = {0};
        project_vars(name, board, &meta, &vars);
        rc = fill_placeholders(tmp, vars.vars, vars.n_vars, e);
        tmpl_board_free(&vars);
    }
    if (rc == 0) {
        rc = list_registry(yaml_path, c, &s->reg, e);
    }
    if (rc == 0 && read_file(yaml_path, &text, &len, e) != 0) {
        rc = err_prefix(e, "template '%s' is broken: ", t->name);
    }
    if (rc == 0 && manifest_parse("cmrx.yaml", text, len, &m, e) != 0) {
        rc = err_prefix(e, "template '%s' is broken: ", t->name);
    }
    struct lock_opts po = {0};
    if (rc == 0) {
        rc = session_lock(s, &m, &po, lock, e);
    }
    struct bsp b;
    char why[1024];
    int got = rc == 0 ? session_board_bsp(s, lock, board, &b, e) : 1;
    rc = got < 0 ? -1 : rc;
    if (got == 0) {
        if (!tmpl_supports(&meta, &t->versions[0], board, &b, why, sizeof(why))) {
            rc = err_usage(e, "template '%s' %s", t->name, why);
            err_hint(e, "`cmrx templates` lists the boards each template supports");
        }
        bsp_free(&b);
    }
    tmpl_meta_free(&meta);
    /* The template needs the board's peripherals; its dependencies should have theirs. */
    for (size_t i = 0; rc == 0 && i < m.n_deps; i++) {
        const struct lock_pkg *lp = lock_find(lock, m.deps[i].name);
        const struct reg_package *rp = registry_find(&s->reg, m.deps[i].name);
        for (size_t j = 0; lp != NULL && rp != NULL && j < rp->n_versions; j++) {
            if (strcmp(rp->versions[j].version, lp->version) == 0) {
                const struct reg_version *dv = &rp->versions[j];
                rc = session_check_board(s, lock, board, &dv, 1, e);
            }
        }
    }
    if (rc == 0 && into != NULL) {
        rc = check_clashes(tmp, into, t->name, lock, e);
    }
    if (rc == 0 && keep) {
        ui_status("Keeping", "your %s (template '%s' has one too; it is not copied)", KEPT_FILE,
                  t->name);
    }
    if (rc == 0 && into != NULL && *ignore_add != NULL) {
        if ((*ignore_add)[0] != '\0') {
            ui_status("Keeping", "your %s, adding the template's rules it lacks", IGNORE_FILE);
        } else {
            ui_status("Keeping", "your %s (it has the template's rules)", IGNORE_FILE);
        }
    }
    for (size_t i = 0; rc == 0 && i < lock->n; i++) {
        const struct lock_pkg *p = &lock->pkgs[i];
        char *dest = xasprintf("%s/packages/%s", tmp, p->name);
        rc = source_materialize(s->f, s->reg.self_git, p, dest, sync_expected_cpu(&s->reg, p), e);
        free(dest);
        if (rc == 0) {
            ui_status("Adding", "%s %s", p->name, p->version);
        }
    }
    char *lock_text = NULL;
    if (rc == 0 && lock_emit(lock, &lock_text, &len, e) == 0) {
        char *lock_path = path_join(tmp, "cmrx.lock");
        rc = write_file_atomic(lock_path, lock_text, len, e);
        free(lock_path);
    } else if (rc == 0) {
        rc = -1;
    }
    free(lock_text);
    manifest_free(&m);
    free(text);
    free(yaml_path);
    return rc ? -1 : 0;
}

/* The staging folder of one `cmrx new` run: a fresh name beside the
 * target, holding the project being made (project/) and a lock file while
 * the run lives, so that a run never touches another run's folder, nor a
 * folder of the user's. */
#define STAGING_LOCK ".cmrx-new.lock"

struct staging {
    char *dir;
    char *tree; /* dir/project */
    int lock_fd;
};

/* Remove staging folders of runs that were killed: named like ours, with
 * our lock file in them, and no run holding it. */
static void remove_stale(const char *parent, const char *name)
{
    DIR *d = opendir(parent[0] ? parent : "/");
    char *prefix = xasprintf(".%s.cmrx-new-", name);
    struct dirent *de;
    while (d != NULL && (de = dir_next(d)) != NULL) {
        if (strncmp(de->d_name, prefix, strlen(prefix)) != 0 ||
            strlen(de->d_name) != strlen(prefix) + 6) {
            continue;
        }
        char *dir = xasprintf("%s/%s", parent, de->d_name);
        char *lock = path_join(dir, STAGING_LOCK);
        int fd = open(lock, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
        if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0) {
            rm_rf(dir);
        }
        if (fd >= 0) {
            close(fd);
        }
        free(lock);
        free(dir);
    }
    if (d != NULL) {
        closedir(d);
    }
    free(prefix);
}

static int staging_open(struct staging *st, const char *parent, const char *name, struct err *e)
{
    remove_stale(parent, name);
    st->dir = xasprintf("%s/.%s.cmrx-new-XXXXXX", parent, name);
    st->tree = NULL;
    st->lock_fd = -1;
    if (mkdtemp(st->dir) == NULL) {
        return err_set(e, "cannot create a folder in %s: %s", parent[0] ? parent : "/",
                       strerror(errno));
    }
    char *lock = path_join(st->dir, STAGING_LOCK);
    st->lock_fd = open(lock, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    int rc = st->lock_fd < 0 || flock(st->lock_fd, LOCK_EX) != 0
                 ? err_set(e, "cannot create %s: %s", lock, strerror(errno))
                 : 0;
    free(lock);
    st->tree = path_join(st->dir, "project");
    return rc;
}

/* Put the finished folder in place (it must not exist), or drop it. */
static int staging_close(struct staging *st, const char *target, bool keep, struct err *e)
{
    int rc = 0;
    if (keep) {
        if (rename_noreplace(st->tree, target) != 0) {
            rc = errno == EEXIST || errno == ENOTEMPTY
                     ? err_set(e, "'%s' was created by someone else meanwhile", target)
                     : err_set(e, "cannot create '%s': %s", target, strerror(errno));
        }
    }
    rm_rf(st->dir);
    if (st->lock_fd >= 0) {
        close(st->lock_fd);
    }
    free(st->tree);
    free(st->dir);
    return rc;
}

static int run_new(const struct cli *c, struct err *e)
{
    const char *arg = c->args[0];
    const char *board = c->board ? c->board : DEFAULT_BOARD;
    const char *tname = c->template_name ? c->template_name : DEFAULT_TEMPLATE;
    char *target = path_absolute(arg);
    /* An empty argument would name the current folder: it names nothing. */
    const char *name = arg[0] != '\0' ? strrchr(target, '/') + 1 : "";
    char *parent = xasprintf("%.*s", (int)(name - target - 1), target);
    struct session s = {0};
    struct lock lock = {0};
    int rc = 0;
    if (!manifest_name_valid(name)) {
        rc = err_usage(e,
                       "'%s' is not a project name: start with a letter, then letters, digits, "
                       "'-' or '_'",
                       name);
    } else if (manifest_name_reserved(name)) {
        rc = err_usage(e,
                       "'%s' cannot be a project name: the build uses it for its own targets "
                       "(CMake's all, clean, install, test, ... and the SDK's cmrx_*)",
                       name);
    } else if (path_exists(target)) {
        rc = err_set(e, "'%s' already exists; cmrx new never writes into an existing folder", arg);
        err_hint(e, "choose another name, or remove '%s' first", arg);
    } else if (!is_dir(parent[0] ? parent : "/")) {
        rc = err_set(e, "folder '%s' does not exist", parent);
    }
    const struct reg_package *t = NULL;
    if (rc == 0 && session_registry(&s, c, e) == 0 &&
        (t = registry_find_kind(&s.reg, tname, KIND_TEMPLATE, e)) != NULL &&
        registry_find_kind(&s.reg, board, KIND_BSP, e) != NULL) {
        struct staging st;
        rc = staging_open(&st, parent, name, e);
        if (rc == 0) {
            rc = build(&s, c, st.tree, arg, name, board, t, NULL, &lock, NULL, e);
        }
        rc = staging_close(&st, target, rc == 0, rc == 0 ? e : &(struct err){0}) || rc;
    } else if (rc == 0) {
        rc = -1;
    }
    if (rc == 0) {
        ui_status("Created", "project '%s' from template '%s' for board %s", name, tname, board);
    }
    lock_free(&lock);
    session_end(&s);
    free(parent);
    free(target);
    return rc ? -1 : 0;
}

/* Move every entry of @p from into @p to (checked by collides() first). */
static int move_into(const char *from, const char *to, struct err *e)
{
    DIR *d = opendir(from);
    int rc = d == NULL ? err_set(e, "%s: %s", from, strerror(errno)) : 0;
    struct dirent *de;
    while (rc == 0 && (de = dir_next(d)) != NULL) {
        char *f = path_join(from, de->d_name), *t = path_join(to, de->d_name);
        if (is_dir(t) && is_dir(f)) {
            rc = move_into(f, t, e);
        } else if (rename_noreplace(f, t) != 0) {
            rc = err_set(e, "cannot create %s: %s", t, strerror(errno));
        }
        free(t);
        free(f);
    }
    if (d != NULL) {
        closedir(d);
    }
    return rc;
}

static int run_init(const struct cli *c, struct err *e)
{
    const char *board = c->board ? c->board : DEFAULT_BOARD;
    const char *tname = c->template_name ? c->template_name : "blank";
    char *target = path_absolute(c->dir ? c->dir : ".");
    const char *name = strrchr(target, '/') + 1;
    char *parent = xasprintf("%.*s", (int)(name - target - 1), target);
    char *yaml = path_join(target, "cmrx.yaml");
    struct session s = {0};
    struct lock lock = {0};
    int rc = 0;
    if (!is_dir(target)) {
        rc = err_usage(e, "folder '%s' does not exist; `cmrx new %s` makes a new one", target,
                       c->dir ? c->dir : ".");
    } else if (path_exists(yaml)) {
        rc = err_set(e, "%s is a project already (it has cmrx.yaml)", target);
        err_hint(e, "`cmrx update` resolves it again; `cmrx add` adds packages");
    } else if (!manifest_name_valid(name) || manifest_name_reserved(name)) {
        rc = err_usage(e,
                       "the folder's name '%s' cannot name the project (a letter, then letters, "
                       "digits, '-' or '_'; not a name the build uses)",
                       name);
        err_hint(e, "rename the folder first, or make the project in a new folder: "
                    "`cmrx new NAME`");
    }
    const struct reg_package *t = NULL;
    if (rc == 0 && session_registry(&s, c, e) == 0 &&
        (t = registry_find_kind(&s.reg, tname, KIND_TEMPLATE, e)) != NULL &&
        registry_find_kind(&s.reg, board, KIND_BSP, e) != NULL) {
        struct staging st;
        char *ignore_add = NULL;
        rc = staging_open(&st, parent, name, e);
        if (rc == 0) {
            rc = build(&s, c, st.tree, name, name, board, t, target, &lock, &ignore_add, e);
        }
        /* Nothing of the folder is replaced: build() stopped at a file the
         * project also has; this one catches a file made meanwhile. */
        if (rc == 0) {
            rc = check_clashes(st.tree, target, tname, &lock, e);
        }
        if (rc == 0) {
            rc = move_into(st.tree, target, e);
        }
        /* Last, once the project is in place: the user's file changes only
         * when everything else worked. */
        if (rc == 0 && ignore_add != NULL && ignore_add[0] != '\0') {
            rc = ignore_merge(target, ignore_add, tname, e);
        }
        free(ignore_add);
        staging_close(&st, target, false, &(struct err){0});
    } else if (rc == 0) {
        rc = -1;
    }
    if (rc == 0) {
        ui_status("Created", "project '%s' in %s from template '%s' for board %s", name, target,
                  tname, board);
    }
    lock_free(&lock);
    session_end(&s);
    free(yaml);
    free(parent);
    free(target);
    return rc ? -1 : 0;
}

const struct command cmd_init = {
    .name = "init",
    .args = "",
    .summary = "make the current folder a project",
    .help = "Makes the folder (-C DIR, default: the current one) a project named after it, as\n"
            "`cmrx new` would: the files of template T (default blank) for board B "
            "(default\n" DEFAULT_BOARD
            "), cmrx.yaml, cmrx.lock and packages/. Files already there are kept: the\n"
            "folder's README.md stays (the template's is not copied), its .gitignore gets\n"
            "the template's rules it lacks; any other file the project also has stops the\n"
            "command before anything is written.\n",
    .opts = OPT_BOARD | OPT_TEMPLATE | OPT_OFFLINE | OPT_REGISTRY | OPT_DIR,
    .notes =
        (const struct opt_note[]){
            {OPT_DIR, "the folder to make a project (default: the current one)"}, {0, NULL}},
    .run = run_init,
};

const struct command cmd_new = {
    .name = "new",
    .args = "NAME",
    .summary = "create a project from a template",
    .help = "Creates folder NAME holding a project made from template T (default " DEFAULT_TEMPLATE
            ";\nsee `cmrx templates`) for board B (default " DEFAULT_BOARD "; see `cmrx boards`):\n"
            "cmrx.yaml, the sources, and cmrx.lock and packages/ with the kernel, the board\n"
            "and the template's dependencies resolved and fetched. NAME must not exist.\n"
            "A template with a template.yaml is made for the boards it lists, and fills\n"
            "their values into its files; other boards are refused.\n",
    .opts = OPT_BOARD | OPT_TEMPLATE | OPT_OFFLINE | OPT_REGISTRY,
    .min_args = 1,
    .max_args = 1,
    .run = run_new,
};
