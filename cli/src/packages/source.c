#include "source.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bsp.h"
#include "checksum.h"
#include "fetch.h"
#include "fsutil.h"

static void hex(const git_oid *id, char out[GIT_OID_HEXSZ + 1])
{
    git_oid_tostr(out, GIT_OID_HEXSZ + 1, id);
}

/* A mirror of the cache whose refs name objects it lacks (deleted, or a
 * disk that lost them): fetching again brings nothing, as the refs agree
 * with the remote's. Only deleting it helps. */
static int damaged_cache(struct err *e, const char *name, const char *version, git_repository *r)
{
    char *dir = xstrdup(git_repository_path(r));
    size_t n = strlen(dir);
    if (n > 1 && dir[n - 1] == '/') {
        dir[n - 1] = '\0';
    }
    err_set(e, "package '%s' %s: the cache entry %s is damaged: it lacks objects its refs name",
            name, version, dir);
    err_hint(e, "delete %s and run the command again; cmrx fetches it anew", dir);
    free(dir);
    return -1;
}

/* Whole commit ids: a forged one may share any prefix with the real one. */
static int moved_tag(struct err *e, const char *name, const char *version, const char *tag,
                     const char *url, const char *now, const char *before, const char *by)
{
    err_set(e, "package '%s' %s: tag '%s' of %s now points to commit %s, but %s has %s", name,
            version, tag, url, now, by, before);
    return err_hint(e,
                    "either the tag was moved after the version was published, or %s was "
                    "edited; a published version must not change. If you trust the new commit, "
                    "run `cmrx remove %s` then `cmrx add %s@=%s` to lock it again; otherwise ask "
                    "the package's maintainer why the tag moved",
                    by, name, name, version);
}

static bool unlocked(const struct resolve_opts *o, const char *name)
{
    for (size_t i = 0; i < o->n_unlock; i++) {
        if (strcmp(o->unlock[i], name) == 0) {
            return true;
        }
    }
    return o->unlock_all;
}

static int pin_one(const struct reg_version *v, const struct lock_pkg *old, struct fetcher *f,
                   struct lock_pkg *out, struct err *e)
{
    const char *name = v->pkg->name;
    char *url = registry_lock_url(v, e);
    if (url == NULL) {
        return -1;
    }
    git_repository *repo;
    git_oid commit;
    char chex[GIT_OID_HEXSZ + 1], thex[GIT_OID_HEXSZ + 1];
    int rc = fetcher_mirror(f, url, name, true, &repo, e);
    if (rc == 0 && (v->tag != NULL || v->branch != NULL)) {
        int r = fetch_resolve_ref(repo, v->tag, v->branch, &commit, e);
        if (r < 0 && fetch_ref_dangles(repo, v->tag, v->branch)) {
            damaged_cache(e, name, v->version, repo);
        } else if (r < 0) {
            err_prefix(e, "package '%s' %s (%s): ", name, v->version, url);
            err_hint(e, "a version's tag or branch must name a commit; tell the registry's "
                        "maintainer, or pick another version");
        } else if (r > 0) {
            err_set(e, "package '%s' %s: %s '%s' does not exist in %s", name, v->version,
                    v->tag ? "tag" : "branch", v->tag ? v->tag : v->branch, url);
            err_hint(e, "the registry index and the repository disagree; tell the registry's "
                        "maintainer, or pick another version");
        }
        rc = r == 0 ? 0 : -1;
        if (rc == 0) {
            hex(&commit, chex);
            if (v->commit != NULL && strcmp(v->commit, chex) != 0) {
                rc = moved_tag(e, name, v->version, v->tag, url, chex, v->commit,
                               "the registry index");
            } else if (old != NULL && v->tag != NULL && old->tag != NULL &&
                       strcmp(old->version, v->version) == 0 && strcmp(old->commit, chex) != 0) {
                rc = moved_tag(e, name, v->version, v->tag, url, chex, old->commit, "cmrx.lock");
            }
        }
        if (rc == 0 && v->branch != NULL && v->subdir != NULL) {
            /* A package in a folder of a branch (this SDK's): locked at the
             * commit that last changed the folder, which a clone with
             * commits of its own shares with everyone else. */
            rc = fetch_last_change(repo, &commit, v->subdir, &commit, e);
            hex(&commit, chex);
        }
    } else if (rc == 0) {
        if (git_oid_fromstr(&commit, v->commit) != 0 || !fetch_has_commit(repo, &commit)) {
            rc = err_set(e, "package '%s' %s: commit %s is not in %s", name, v->version, v->commit,
                         url);
            err_hint(e,
                     "the commit ('rev' in cmrx.yaml, 'commit' in a registry index) must be "
                     "a full commit id of that repository: `git ls-remote %s` lists its "
                     "branches and tags",
                     url);
        }
        hex(&commit, chex);
    }
    git_oid tree;
    if (rc == 0 && fetch_subtree(repo, &commit, v->subdir, &tree, e) != 0) {
        rc = err_prefix(e, "package '%s' %s (%s): ", name, v->version, url);
    }
    if (rc == 0) {
        hex(&tree, thex);
        if (v->checksum != NULL && strcmp(v->checksum, thex) != 0) {
            rc = err_set(e,
                         "package '%s' %s: checksum mismatch: the registry index says %s, but "
                         "folder '%s' of commit %.12s in %s has tree id %s",
                         name, v->version, v->checksum, v->subdir ? v->subdir : ".", chex, url,
                         thex);
            err_hint(e, "the package's contents differ from what was published; do not use it "
                        "until the registry's maintainer has checked it");
        }
    }
    if (rc == 0) {
        out->name = xstrdup(name);
        out->kind = v->pkg->kind;
        out->version = xstrdup(v->version);
        out->git = xstrdup(url); /* never ".": the lock names the repository itself */
        out->tag = xstrdup(v->tag);
        /* "HEAD" says nothing another machine could use; the commit says it all. */
        out->branch =
            v->branch != NULL && strcmp(v->branch, "HEAD") != 0 ? xstrdup(v->branch) : NULL;
        out->commit = xstrdup(chex);
        out->subdir = xstrdup(v->subdir);
        out->checksum = xstrdup(thex);
    }
    free(url);
    return rc;
}

/* Whether locked @p lp came from where @p v says (a git dependency whose
 * URL or ref changed in cmrx.yaml is locked again). A lock written before
 * locks named the repository ("git: .") matches the registry's own packages. */
static bool same_source(const struct lock_pkg *lp, const struct reg_version *v)
{
    if (strcmp(lp->git, ".") == 0) {
        return strcmp(v->git, ".") == 0;
    }
    struct err ignored;
    char *url = registry_lock_url(v, &ignored);
    bool same = url != NULL && strcmp(url, lp->git) == 0 && str_equal(lp->tag, v->tag) &&
                (v->commit == NULL || strcmp(v->commit, lp->commit) == 0) &&
                str_equal(lp->subdir, v->subdir);
    free(url);
    return same;
}

int source_pin(const struct registry *reg, const struct resolution *res, const struct lock *old,
               const struct resolve_opts *ro, struct fetcher *f, struct lock *out, struct err *e)
{
    memset(out, 0, sizeof(*out));
    out->registry = xstrdup(reg->location);
    out->pkgs = xcalloc(res->n, sizeof(*out->pkgs));
    for (size_t i = 0; i < res->n; i++) {
        const struct reg_version *v = res->chosen[i];
        const struct lock_pkg *lp = lock_find(old, v->pkg->name);
        struct lock_pkg *dst = &out->pkgs[out->n];
        if (lp != NULL && strcmp(lp->version, v->version) == 0 && !unlocked(ro, lp->name) &&
            same_source(lp, v)) {
            lock_pkg_copy(dst, lp); /* the lock wins: same version, same commit */
        } else if (pin_one(v, lp, f, dst, e) != 0) {
            lock_free(out);
            return -1;
        }
        out->n++;
    }
    return 0;
}

static char *path_in_package(const char *subdir, const char *rel)
{
    return subdir != NULL && *subdir != '\0' ? xasprintf("%s/%s", subdir, rel) : xstrdup(rel);
}

int source_read(struct fetcher *f, const char *self_git, const struct lock_pkg *p, const char *rel,
                char **data, size_t *len, struct err *e)
{
    const char *url = strcmp(p->git, ".") == 0 ? self_git : p->git;
    git_repository *repo;
    git_oid commit;
    if (url == NULL || git_oid_fromstr(&commit, p->commit) != 0) {
        return err_set(e, "package '%s' %s: no repository or commit to read %s from", p->name,
                       p->version, rel);
    }
    if (fetcher_mirror(f, url, p->name, false, &repo, e) != 0) {
        return -1;
    }
    char *path = path_in_package(p->subdir, rel);
    int rc = fetch_read_file(repo, &commit, path, data, len, e);
    free(path);
    return rc < 0 ? err_prefix(e, "package '%s' %s: ", p->name, p->version) : rc;
}

int source_peek(struct fetcher *f, const struct reg_version *v, const char *rel, char **data,
                size_t *len, struct err *e)
{
    struct err ignored;
    char *url = registry_git_url(v, &ignored);
    git_repository *repo = NULL;
    git_oid commit;
    *data = NULL;
    int rc = url == NULL ? 1 : fetch_peek(f, url, v->tag, v->branch, v->commit, &repo, &commit, e);
    if (rc == 0) {
        char *path = path_in_package(v->subdir, rel);
        rc = fetch_read_file(repo, &commit, path, data, len, e);
        rc = rc > 0 ? 0 : rc; /* no such file: *data stays NULL */
        free(path);
        git_repository_free(repo);
    }
    free(url);
    return rc;
}

bool source_intact(const char *dir, const struct lock_pkg *p)
{
    git_oid id;
    struct err ignored;
    char h[GIT_OID_HEXSZ + 1];
    struct stat st;
    /* A link in place of the folder is never intact: its target is not ours. */
    if (lstat(dir, &st) != 0 || !S_ISDIR(st.st_mode) || checksum_dir(dir, &id, &ignored) != 0) {
        return false;
    }
    hex(&id, h);
    return strcmp(h, p->checksum) == 0;
}

/* A board's bsp.yaml must be valid, and its CPU the one the registry gave. */
static int check_bsp(const struct lock_pkg *p, const char *dest, const char *expect_cpu,
                     struct err *e)
{
    /* Messages name the file as the package has it, not the staging folder. */
    char *path = path_join(dest, "bsp.yaml");
    char *shown = xasprintf("packages/%s/bsp.yaml", p->name);
    struct bsp b;
    int rc = 0;
    if (bsp_load_as(path, shown, &b, e) != 0) {
        rc = err_prefix(e, "board package '%s' %s is broken: ", p->name, p->version);
        err_hint(e, "tell the registry's maintainer; choose another version meanwhile");
    } else {
        if (expect_cpu != NULL && strcmp(b.cpu, expect_cpu) != 0) {
            rc = err_set(e,
                         "board package '%s' %s: its bsp.yaml says cpu %s, but the registry "
                         "index says %s",
                         p->name, p->version, b.cpu, expect_cpu);
            err_hint(e, "the registry index is wrong about this board; tell its maintainer");
        }
        bsp_free(&b);
    }
    free(shown);
    free(path);
    return rc;
}

int source_materialize(struct fetcher *f, const char *self_git, const struct lock_pkg *p,
                       const char *dest, const char *expect_cpu, struct err *e)
{
    const char *url = strcmp(p->git, ".") == 0 ? self_git : p->git;
    if (url == NULL) {
        err_set(e,
                "package '%s' comes from the registry's own repository (\".\"), which cannot be "
                "found",
                p->name);
        return err_hint(e, "pass the registry that cmrx.lock was made with: --registry");
    }
    git_repository *repo;
    git_oid commit, now, tree;
    char nhex[GIT_OID_HEXSZ + 1], thex[GIT_OID_HEXSZ + 1];
    if (git_oid_fromstr(&commit, p->commit) != 0 ||
        fetcher_mirror(f, url, p->name, false, &repo, e) != 0) {
        return -1;
    }
    /* The cache may be behind the remote both ways (a commit it lacks, a
     * tag that moved and was put back): it is refreshed once before either
     * is believed. */
    bool refreshed = false;
    for (;;) {
        bool moved = p->tag != NULL && fetch_resolve_ref(repo, p->tag, NULL, &now, e) == 0 &&
                     !git_oid_equal(&now, &commit);
        bool have = fetch_has_commit(repo, &commit);
        if (!moved && have) {
            break;
        }
        if (refreshed || !fetcher_may_fetch(f, url)) {
            if (moved) {
                hex(&now, nhex);
                return moved_tag(e, p->name, p->version, p->tag, url, nhex, p->commit, "cmrx.lock");
            }
            const char *local = fetcher_served(f, url);
            if (local != NULL) {
                /* Not a deleted commit: one this machine's copy never had. */
                err_set(e,
                        "package '%s' %s: cmrx.lock names commit %s of %s, which the copy of "
                        "that repository on this machine (%s) does not have",
                        p->name, p->version, p->commit, url, local);
                return err_hint(e,
                                "the lock was made from a checkout with commits not published "
                                "here: update %s (`git -C %s pull`) or publish the commit; or "
                                "run `cmrx update %s` to lock the version this machine has",
                                local, local, p->name);
            }
            if (fetch_ref_dangles(repo, p->tag, p->branch)) {
                return damaged_cache(e, p->name, p->version, repo);
            }
            err_set(e, "package '%s' %s: commit %s is not in %s%s", p->name, p->version, p->commit,
                    url, refreshed ? "" : " (cache only: --offline)");
            return err_hint(e,
                            refreshed ? "the commit was removed from the repository; run "
                                        "`cmrx update %s` to lock an existing one"
                                      : "run without --offline to fetch it",
                            p->name);
        }
        if (fetcher_mirror(f, url, p->name, true, &repo, e) != 0) {
            return -1;
        }
        refreshed = true;
    }
    if (fetch_subtree(repo, &commit, p->subdir, &tree, e) != 0) {
        return err_prefix(e, "package '%s' %s (%s): ", p->name, p->version, url);
    }
    hex(&tree, thex);
    if (strcmp(thex, p->checksum) != 0) {
        err_set(e,
                "package '%s' %s: checksum mismatch: cmrx.lock says %s, but folder '%s' of "
                "commit %s has tree id %s",
                p->name, p->version, p->checksum, p->subdir ? p->subdir : ".", p->commit, thex);
        return err_hint(e,
                        "cmrx.lock was edited or damaged; restore it from version control, or "
                        "run `cmrx update %s` to lock the package again",
                        p->name);
    }
    if (fetch_checkout(repo, &tree, dest, p->name, e) != 0) {
        return err_prefix(e, "package '%s' %s: ", p->name, p->version);
    }
    if (!source_intact(dest, p)) {
        return err_set(e, "package '%s' %s: the files written to %s do not hash to %s", p->name,
                       p->version, dest, p->checksum);
    }
    return p->kind == KIND_BSP ? check_bsp(p, dest, expect_cpu, e) : 0;
}
