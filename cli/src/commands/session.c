#include "session.h"

#include <signal.h>
#include <stdio.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bsp.h"
#include "config.h"
#include "fsutil.h"
#include "build.h"
#include "fetch.h"
#include "qemu.h"
#include "resolve.h"
#include "source.h"
#include "spawn.h"
#include "sync.h"
#include "tools.h"
#include "ui.h"

int session_project(struct session *s, const struct cli *c, struct err *e)
{
    char *root = project_find(c->dir, e);
    if (root == NULL) {
        return -1;
    }
    int rc = project_open(root, &s->p, e);
    free(root);
    s->has_project = rc == 0;
    return rc;
}

static int session_fetcher(struct session *s, const struct cli *c, struct err *e)
{
    return s->f != NULL ? 0 : fetcher_open(&s->f, c->offline, e);
}

/* A registry location as the stack compares them: paths made absolute. */
static char *location_key(const char *loc)
{
    return strcmp(loc, "default") == 0 || path_is_url(loc) ? xstrdup(loc) : path_absolute(loc);
}

/* Stack the registry at @p loc (named by @p from in messages) unless it is
 * in the stack already. */
static int stack_one(struct session *s, const char *loc, const char *from, struct err *e)
{
    char *key = location_key(loc);
    for (size_t i = 0; i < s->reg.n_srcs; i++) {
        if (str_equal(s->reg.srcs[i]->location, key)) {
            free(key);
            return 0;
        }
    }
    struct registry add;
    int rc = registry_open(key, s->f, &add, e);
    if (rc != 0) {
        err_prefix(e, "registry %s (%s): ", loc, from);
    } else {
        registry_stack(&s->reg, &add);
    }
    free(key);
    return rc;
}

int session_registry(struct session *s, const struct cli *c, struct err *e)
{
    if (session_fetcher(s, c, e) != 0) {
        return -1;
    }
    /* The stack (docs/registry.md): the default registry ($CMRX_REGISTRY
     * replaces this SDK's), then the project's, the user's and --registry;
     * of two that list a name, the first serves it. */
    char *base = registry_choose(NULL, NULL);
    int rc = registry_open(base, s->f, &s->reg, e);
    free(base);
    s->has_reg = rc == 0;
    if (rc == 0 && s->has_project && s->p.lock.registry != NULL &&
        strcmp(s->p.lock.registry, "default") != 0) {
        /* A lock of an older cmrx names the registry --registry gave it. */
        rc = stack_one(s, s->p.lock.registry, "cmrx.lock", e);
    }
    /* Commands that do not open the project (search, info, boards) see its
     * registries too when run inside it. */
    struct manifest found = {0};
    const struct manifest *m = s->has_project ? &s->p.m : NULL;
    if (m == NULL && rc == 0) {
        struct err ignored;
        char *root = project_find(c->dir, &ignored);
        char *path = root != NULL ? path_join(root, "cmrx.yaml") : NULL;
        char *text = NULL;
        size_t len = 0;
        if (path != NULL && read_file(path, &text, &len, &ignored) == 0 &&
            manifest_parse("cmrx.yaml", text, len, &found, &ignored) == 0) {
            m = &found;
        }
        free(text);
        free(path);
        free(root);
    }
    for (size_t i = 0; rc == 0 && m != NULL && i < m->n_registries; i++) {
        char from[64];
        snprintf(from, sizeof(from), "cmrx.yaml:%lu, 'registries'", m->registries_line);
        rc = stack_one(s, m->registries[i], from, e);
    }
    manifest_free(&found);
    struct config cfg = {0};
    if (rc == 0 && (rc = config_load(&cfg, e)) == 0) {
        for (size_t i = 0; rc == 0 && i < cfg.n_registries; i++) {
            char *from = xasprintf("%s:%lu, 'registries'", cfg.path, cfg.registries_line);
            rc = stack_one(s, cfg.registries[i], from, e);
            free(from);
        }
    }
    config_free(&cfg);
    if (rc == 0 && c->registry != NULL && *c->registry != '\0') {
        rc = stack_one(s, c->registry, "--registry", e);
    }
    if (rc == 0) {
        rc = registry_check_links(&s->reg, e);
    }
    return rc;
}

/* Say where a package that two registries list comes from (once a run). */
static void warn_shadowed(const struct registry *reg, const struct resolution *res)
{
    for (size_t i = 0; i < res->n; i++) {
        const struct reg_shadow *sh = registry_shadow(reg, res->chosen[i]->pkg->name);
        if (sh != NULL) {
            ui_warn("'%s' is listed by %s and by %s; it comes from %s, the first in the stack "
                    "(docs/registry.md, Registries that stack)",
                    sh->name, sh->kept->index_name, sh->ignored->index_name, sh->kept->index_name);
        }
    }
}

/* Print what changes between two locks ("Adding x 1.0.0", "Updating ..."). @return changes. */
static size_t report_changes(const struct lock *old, const struct lock *updated)
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
            /* 12 digits tell commits apart, unless someone made them agree. */
            int n = strncmp(a->commit, b->commit, 12) == 0 ? 40 : 12;
            ui_status("Updating", "%s %s (commit %.*s -> %.*s)", b->name, b->version, n, a->commit,
                      n, b->commit);
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

int session_lock(struct session *s, const struct manifest *m, const struct lock_opts *o,
                 struct lock *out, struct err *e)
{
    const struct registry *reg = &s->reg;
    size_t n = m->n_deps + 1;
    struct resolve_req *roots = xcalloc(n, sizeof(*roots));
    char **origins = xcalloc(n + 1, sizeof(char *));
    int rc = 0;
    origins[0] = m->kernel_line ? xasprintf("%s:%lu", m->path, m->kernel_line) : xstrdup(m->path);
    roots[0] = (struct resolve_req){"kernel", m->kernel, origins[0]};
    char **exact = xcalloc(n, sizeof(char *));
    for (size_t i = 0; i < m->n_deps; i++) {
        const struct dependency *d = &m->deps[i];
        origins[i + 1] = xasprintf("%s:%lu", m->path, d->line);
        roots[i + 1] = (struct resolve_req){d->name, d->constraint, origins[i + 1]};
        if (d->git != NULL) {
            /* Its one version, whatever it is (a pre-release tag too). */
            const struct reg_version *gv = registry_add_git(&s->reg, m->path, d->name, d->git,
                                                            d->tag, d->branch, d->rev, d->subdir);
            exact[i] = xasprintf("=%s", gv->version);
            roots[i + 1].constraint = exact[i];
        }
        const struct reg_package *rp = registry_find(reg, d->name);
        if (rc == 0 && rp != NULL && !pkg_kind_is_dependency(rp->kind)) {
            rc = err_set(e, "%s: dependency '%s' is a %s, not a component or a library",
                         origins[i + 1], d->name, pkg_kind_name(rp->kind));
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
        warn_shadowed(reg, &res);
        rc = source_pin(reg, &res, o->old, &ro, s->f, out, e);
    } else {
        rc = -1;
    }
    resolution_free(&res);
    strv_free(exact, n);
    for (size_t i = 0; i <= n; i++) {
        free(origins[i]);
    }
    free(origins);
    free(roots);
    return rc;
}

int session_commit(struct session *s, const char *yaml, size_t yaml_len, const struct lock *lock,
                   bool comments_lost, struct err *e)
{
    struct sync_opts so = {
        .yaml = yaml,
        .yaml_len = yaml_len,
        .lock = lock,
        .self_git = s->has_reg ? s->reg.self_git : NULL,
        .reg = s->has_reg ? &s->reg : NULL,
    };
    struct sync_stats st;
    if (sync_project(&s->p, s->f, &so, &st, e) != 0) {
        return -1;
    }
    size_t changes = report_changes(&s->p.lock, lock);
    if (comments_lost) {
        ui_warn("cmrx.yaml was rewritten as a whole because its layout could not be edited in "
                "place; its comments are gone (the old file is in version control)");
    }
    if (changes == 0 && st.staged == 0 && st.removed == 0) {
        ui_status("Unchanged", "cmrx.lock and packages/ are up to date");
    }
    return 0;
}

int session_fetch(struct session *s, const struct cli *c, bool verbose, struct sync_stats *st,
                  struct err *e)
{
    char *self = NULL;
    int rc = session_fetcher(s, c, e);
    bool needs_self = false;
    for (size_t i = 0; rc == 0 && i < s->p.lock.n; i++) {
        needs_self = needs_self || strcmp(s->p.lock.pkgs[i].git, ".") == 0;
    }
    if (rc == 0 && needs_self) {
        /* "." (a lock of an older cmrx) is the repository of the registry
         * the lock was made with. */
        char *loc = registry_choose(c->registry, s->p.lock.registry);
        self = registry_self_git(loc, e);
        rc = self == NULL ? -1 : 0;
        free(loc);
    }
    if (rc == 0) {
        /* The default registry serves its repository's canonical URL from
         * this machine's checkout; nothing else of it is needed. */
        char *base = registry_choose(NULL, NULL);
        struct registry r;
        struct err ignored;
        if (registry_open(base, s->f, &r, &ignored) == 0) {
            registry_free(&r);
        }
        free(base);
    }
    if (rc == 0) {
        struct sync_opts so = {
            .lock = &s->p.lock, .self_git = self, .keep_lock = true, .verbose = verbose};
        rc = sync_project(&s->p, s->f, &so, st, e);
    }
    free(self);
    return rc ? -1 : 0;
}

int session_board_bsp(struct session *s, const struct lock *lock, const char *board, struct bsp *b,
                      struct err *e)
{
    const struct lock_pkg *bp = lock_find(lock, board);
    if (bp == NULL) {
        return 1;
    }
    char *text = NULL;
    size_t len = 0;
    char *shown = xasprintf("packages/%s/bsp.yaml", board);
    int rc = source_read(s->f, s->has_reg ? s->reg.self_git : NULL, bp, "bsp.yaml", &text, &len, e);
    if (rc == 0) {
        rc = bsp_parse(shown, text, len, b, e);
    } else if (rc > 0) {
        rc = err_set(e, "board package '%s' has no bsp.yaml", board);
    }
    free(shown);
    free(text);
    return rc;
}

int session_check_board(struct session *s, const struct lock *lock, const char *board,
                        const struct reg_version *const *vers, size_t n, struct err *e)
{
    bool needed = false;
    for (size_t i = 0; i < n; i++) {
        needed = needed || vers[i]->n_periphs > 0;
    }
    struct bsp b;
    int rc = needed ? session_board_bsp(s, lock, board, &b, e) : 1;
    if (rc != 0) {
        return rc > 0 ? 0 : -1;
    }
    for (size_t i = 0; i < n; i++) {
        char why[512];
        if (!registry_board_fits(vers[i], &b, why, sizeof(why))) {
            ui_warn("%s %s needs %s: it will not build for %s (cmrx.yaml's board)",
                    vers[i]->pkg->name, vers[i]->version, why, board);
        }
    }
    bsp_free(&b);
    return 0;
}

void session_end(struct session *s)
{
    if (s->has_reg) {
        registry_free(&s->reg);
    }
    if (s->has_project) {
        project_close(&s->p);
    }
    fetcher_free(s->f);
    memset(s, 0, sizeof(*s));
}

/* ---- what a build uses ---------------------------------------------------- */

/* The project's own board: cmrx.lock and packages/, fetched first if a
 * folder is missing. */
static int own_board(struct session *s, const struct cli *c, struct lock *out, char ***dirs,
                     struct err *e)
{
    *out = lock_copy(&s->p.lock);
    *dirs = xcalloc(out->n + 1, sizeof(char *));
    bool missing = false;
    for (size_t i = 0; i < out->n; i++) {
        (*dirs)[i] = xasprintf("%s/packages/%s", s->p.root, out->pkgs[i].name);
        missing = missing || !is_dir((*dirs)[i]);
    }
    if (!missing) {
        return 0;
    }
    ui_status("Fetching", "packages/ from cmrx.lock (a package folder is missing)");
    git_needed();
    struct sync_stats st;
    return session_fetch(s, c, false, &st, e);
}

/* Another board than cmrx.yaml's (--board): the project's lock resolved for
 * it, the packages that differ (the board) written under build/BOARD/packages/. */
static int other_board(struct session *s, const struct cli *c, struct lock *out, char ***dirs,
                       struct err *e)
{
    git_needed();
    if (session_registry(s, c, e) != 0 ||
        registry_find_kind(&s->reg, c->board, KIND_BSP, e) == NULL) {
        return -1;
    }
    struct manifest alt = s->p.m; /* shallow: only the board differs */
    alt.board = (char *)c->board;
    struct lock_opts lo = {.old = &s->p.lock};
    if (session_lock(s, &alt, &lo, out, e) != 0) {
        return err_prefix(e, "cannot build for board %s: ", c->board);
    }
    *dirs = xcalloc(out->n + 1, sizeof(char *));
    for (size_t i = 0; i < out->n; i++) {
        const struct lock_pkg *p = &out->pkgs[i];
        const struct lock_pkg *mine = lock_find(&s->p.lock, p->name);
        (*dirs)[i] = xasprintf("%s/packages/%s", s->p.root, p->name);
        if (mine != NULL && lock_pkg_equal(mine, p) && is_dir((*dirs)[i])) {
            continue;
        }
        free((*dirs)[i]);
        (*dirs)[i] = xasprintf("%s/build/%s/packages/%s", s->p.root, c->board, p->name);
        if (source_intact((*dirs)[i], p)) {
            continue;
        }
        rm_rf((*dirs)[i]);
        if (source_materialize(s->f, s->reg.self_git, p, (*dirs)[i], sync_expected_cpu(&s->reg, p),
                               e) != 0) {
            return -1;
        }
        ui_status("Fetched", "%s %s into build/%s/packages/ (for --board)", p->name, p->version,
                  c->board);
    }
    return 0;
}

/* The board a build is for (--board, else cmrx.yaml's) and its profile. */
static const char *build_board(const struct session *s, const struct cli *c, bool *other,
                               const char **profile)
{
    *other = c->board != NULL && strcmp(c->board, s->p.m.board) != 0;
    *profile = c->release ? "release" : "debug";
    return *other ? c->board : s->p.m.board;
}

int session_build(struct session *s, const struct cli *c, struct build *b, struct err *e)
{
    struct lock lock = {0};
    char **dirs = NULL;
    memset(b, 0, sizeof(*b));
    int rc = s->has_project ? 0 : session_project(s, c, e);
    for (size_t i = 0; rc == 0 && i < s->p.m.n_boards; i++) {
        /* A board cmrx.yaml adds to that no registry has is a typo, said now. */
        const struct board_override *bo = &s->p.m.boards[i];
        if ((!s->has_reg && session_registry(s, c, e) != 0) ||
            registry_find_kind(&s->reg, bo->board, KIND_BSP, e) == NULL) {
            rc = err_prefix(e, "cmrx.yaml:%lu: 'boards.%s' is not a board of the registry: ",
                            bo->line, bo->board);
            e->usage = false;
        }
    }
    if (rc == 0 && project_lock_matches(&s->p, e) != 0) {
        /* A board cmrx.lock lacks may be a typo: say so now, not after `cmrx update`. */
        struct err why = *e;
        const struct lock_pkg *b = lock_find(&s->p.lock, s->p.m.board);
        char *origin = xasprintf("%s:%lu", s->p.m.path, s->p.m.board_line);
        if (!(s->p.lock_text != NULL && b == NULL && session_registry(s, c, e) == 0 &&
              registry_find_board(&s->reg, s->p.m.board, origin, e) == NULL)) {
            *e = why;
        }
        free(origin);
        rc = -1;
    }
    if (rc == 0) {
        bool other;
        const char *profile, *board = build_board(s, c, &other, &profile);
        rc = other ? other_board(s, c, &lock, &dirs, e) : own_board(s, c, &lock, &dirs, e);
        if (rc == 0) {
            rc = build_open(b, &s->p, board, other, profile, &lock, dirs, e);
            dirs = NULL; /* the build owns them now */
        }
    }
    if (dirs != NULL) {
        strv_free(dirs, lock.n);
        lock_free(&lock);
    }
    return rc ? -1 : 0;
}

int session_last_build(struct session *s, const struct cli *c, struct build *b, struct err *e)
{
    bool other;
    const char *profile;
    memset(b, 0, sizeof(*b));
    if (session_project(s, c, e) != 0) {
        return -1;
    }
    const char *board = build_board(s, c, &other, &profile);
    if (build_need_tree(&s->p, board, other, profile, e) == 0) {
        return session_build(s, c, b, e);
    }
    /* Board host has no table to build first; its CPU says so without its package. */
    struct err ignored;
    const struct reg_package *p =
        session_registry(s, c, &ignored) == 0 ? registry_find(&s->reg, board) : NULL;
    const struct cpu_info *cpu =
        p != NULL && p->kind == KIND_BSP ? cpu_find(p->versions[0].cpu) : NULL;
    return cpu != NULL && cpu->mpu == MPU_SIM ? build_host_no_table(e) : -1;
}

const struct process_decl *session_updatable(const struct session *s, const char *name,
                                             struct err *e)
{
    for (size_t i = 0; i < s->p.m.n_procs; i++) {
        const struct process_decl *p = &s->p.m.procs[i];
        if (strcmp(p->name, name) != 0) {
            continue;
        }
        if (p->flash_reserve == 0) {
            err_set(e, "process '%s' is not updatable", name);
            err_hint(e, "give it flash_reserve, ram_reserve and version in cmrx.yaml "
                        "(docs/updating.md), then run or flash the whole firmware once");
            return NULL;
        }
        return p;
    }
    err_set(e, "cmrx.yaml has no process '%s'", name);
    return NULL;
}

int session_qemu(const struct cli *c, bool trace, struct build *b, struct argv *a, struct err *e)
{
    struct session s = {0};
    struct build_opts o = {
        .verbose = c->verbose, .jobs = c->jobs, .out_fd = STDERR_FILENO, .quiet = true};
    bool relinked;
    char *qemu = NULL;
    int rc = session_build(&s, c, b, e);
    if (rc == 0 && trace) {
        build_trace(b);
    }
    if (rc == 0) {
        /* --forward replaces cmrx.yaml's network.forward. */
        struct build_net net = {c->n_forwards ? (char *const *)c->forwards : s.p.m.forwards,
                                c->n_forwards ? c->n_forwards : s.p.m.n_forwards};
        /* `cmrx run` offers the board's other UARTs on local ports (the
         * updater's, for `cmrx deploy`); a trace run has no one to talk to. */
        rc = trace ? 0 : build_uarts_open(b, e);
        rc = rc || build_qemu(b, NULL, 0, c->image, c->net ? &net : NULL, a, e);
    }
    if (rc == 0 && !build_is_host(b) &&
        (qemu = tool_require(QEMU_PROGRAM, trace ? "cmrx trace" : "cmrx run", e)) == NULL) {
        rc = -1;
    }
    if (rc == 0) {
        rc = build_run(b, &s.p.m, &o, &relinked, e) || build_image_ready(b, c->image, e);
    }
    /* Said after the build's own lines, just before QEMU starts. */
    if (rc == 0) {
        rc = build_uarts_publish(b, e);
    }
    free(qemu);
    session_end(&s); /* the project is free again while the firmware runs */
    return rc ? -1 : 0;
}

pid_t session_qemu_start(char *const argv[], const struct spawn_opts *so, bool qemu, pid_t *filter,
                         struct err *e)
{
    struct spawn_opts o = *so;
    char drop[64]; /* the filter, a fork, has its own copy */
    *filter = -1;
    if (qemu) {
        snprintf(drop, sizeof(drop), ": terminating on signal %d from pid %ld ", SIGTERM,
                 (long)getpid());
        *filter = spawn_filter(STDERR_FILENO, spawn_drop_lines, drop, &o.err_fd, e);
        if (*filter < 0) {
            return -1;
        }
    }
    pid_t pid = spawn_start(argv, &o, e);
    if (qemu) {
        close(o.err_fd); /* the child's copy is the only one: the filter ends with it */
    }
    return pid;
}
