#include "fetch.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/limits.h> /* NAME_MAX, PATH_MAX: this system's, not POSIX's minimums */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config.h"
#include "fsutil.h"
#include "sdk.h"
#include "ui.h"

struct mirror {
    char *url;
    git_repository *repo;
    bool refreshed;
};

/* A repository a registry on this machine holds under its canonical URL. */
struct served {
    char *url;
    char *local;
    char *by; /* the registry's index, for messages */
};

struct fetcher {
    char *dir; /* <cache>/git */
    bool offline;
    struct served *served;
    size_t n_served;
    int lock_fd;
    struct mirror *m;
    size_t n;
    struct config cfg; /* the user's mirrors, read when a remote is first contacted */
    bool cfg_loaded;
};

static const char *git_msg(void)
{
    const git_error *ge = git_error_last();
    return ge && ge->message ? ge->message : "unknown libgit2 error";
}

static int git_err(struct err *e, const char *what)
{
    return err_set(e, "%s: %s", what, git_msg());
}

/* Whether libgit2's last error was a full disk or a file size limit: its
 * message carries the system's words for it (errno is long gone by then). */
static bool disk_full(void)
{
    const char *m = git_msg();
    return strstr(m, strerror(ENOSPC)) != NULL || strstr(m, strerror(EDQUOT)) != NULL ||
           strstr(m, strerror(EFBIG)) != NULL;
}

static int disk_full_hint(struct err *e, const char *what, const char *dir)
{
    return err_hint(e,
                    "the file system holding %s (%s) is full, or a limit on file sizes (ulimit "
                    "-f, a quota) was reached: free some space or raise the limit, and run the "
                    "command again; nothing was changed",
                    what, dir);
}

int fetcher_open(struct fetcher **out, bool offline, struct err *e)
{
    char *cache = sdk_cache_dir(e);
    if (cache == NULL) {
        return -1;
    }
    struct fetcher *f = xcalloc(1, sizeof(*f));
    f->dir = path_join(cache, "git");
    f->offline = offline;
    f->lock_fd = -1;
    free(cache);
    *out = f;
    return 0;
}

void fetcher_free(struct fetcher *f)
{
    if (f == NULL) {
        return;
    }
    for (size_t i = 0; i < f->n; i++) {
        git_repository_free(f->m[i].repo);
        free(f->m[i].url);
    }
    free(f->m);
    for (size_t i = 0; i < f->n_served; i++) {
        free(f->served[i].url);
        free(f->served[i].local);
        free(f->served[i].by);
    }
    free(f->served);
    config_free(&f->cfg);
    if (f->lock_fd >= 0) {
        close(f->lock_fd); /* releases the flock */
    }
    free(f->dir);
    free(f);
}

void fetcher_serve(struct fetcher *f, const char *url, const char *local, const char *by)
{
    for (size_t i = 0; i < f->n_served; i++) {
        if (strcmp(f->served[i].url, url) == 0) {
            return; /* the first registry of the stack serves it */
        }
    }
    f->served = xrealloc(f->served, (f->n_served + 1) * sizeof(*f->served));
    f->served[f->n_served++] = (struct served){xstrdup(url), xstrdup(local), xstrdup(by)};
}

const char *fetcher_served(const struct fetcher *f, const char *url)
{
    for (size_t i = 0; f != NULL && i < f->n_served; i++) {
        if (strcmp(f->served[i].url, url) == 0) {
            return f->served[i].local;
        }
    }
    return NULL;
}

/* One lock for the whole cache, held until fetcher_free(): concurrent cmrx
 * runs take turns instead of fetching into the same mirror at once. */
static int lock_cache(struct fetcher *f, struct err *e)
{
    if (f->lock_fd >= 0) {
        return 0;
    }
    /* Made on first use: commands that need no git repository leave no trace. */
    if (mkdir_p(f->dir) != 0) {
        err_set(e, "cannot create the cache folder %s: %s", f->dir, strerror(errno));
        return err_hint(e, "set XDG_CACHE_HOME to a writable folder");
    }
    char *path = path_join(f->dir, ".lock");
    const char *why = NULL;
    f->lock_fd = lock_file_open(path, &why);
    int rc = 0;
    if (f->lock_fd < 0 || flock(f->lock_fd, LOCK_EX) != 0) {
        rc = err_set(e, "cannot lock the cache (%s): %s", path, why ? why : strerror(errno));
    }
    free(path);
    return rc;
}

/* Mirror folder name: the URL's last part (readable) and a hash of the whole URL. */
static char *mirror_path(const char *dir, const char *url)
{
    git_oid h;
    git_odb_hash(&h, url, strlen(url), GIT_OBJECT_BLOB);
    char hex[GIT_OID_HEXSZ + 1];
    git_oid_tostr(hex, sizeof(hex), &h);
    hex[12] = '\0';
    const char *base = url + strlen(url);
    while (base > url && (base[-1] == '/' || base[-1] == ':')) {
        base--;
    }
    const char *end = base;
    while (base > url && base[-1] != '/' && base[-1] != ':') {
        base--;
    }
    if (end - base > 4 && strncmp(end - 4, ".git", 4) == 0) {
        end -= 4;
    }
    char name[48];
    size_t n = 0;
    for (const char *c = base; c < end && n < 32; c++) {
        name[n++] = (strchr("/\\:.", *c) == NULL && *c > ' ') ? *c : '_';
    }
    name[n] = '\0';
    return xasprintf("%s/%s-%s.git", dir ? dir : "", n ? name : "repo", hex);
}

struct progress {
    char label[48]; /* the repository's name */
};

static int on_transfer(const git_indexer_progress *s, void *payload)
{
    const struct progress *p = payload;
    ui_progress("Fetching", p->label, s->received_objects, s->total_objects, "objects",
                s->received_bytes);
    return 0;
}

/* ssh remotes may authenticate through the ssh agent; nothing else is tried. */
static int on_credentials(git_credential **out, const char *url, const char *user,
                          unsigned int allowed, void *payload)
{
    (void)url;
    (void)payload;
    if ((allowed & GIT_CREDENTIAL_SSH_KEY) && user != NULL) {
        return git_credential_ssh_key_from_agent(out, user);
    }
    return GIT_PASSTHROUGH;
}

/* Where to fetch @p url from: the mirror the user's configuration maps it
 * to (checked, and said on stderr), else @p url itself. */
static int remote_for(struct fetcher *f, const char *url, const char *label, char **remote,
                      const struct config_mirror **used, struct err *e)
{
    if (!f->cfg_loaded) {
        if (config_load(&f->cfg, e) != 0) {
            config_free(&f->cfg);
            return -1;
        }
        f->cfg_loaded = true;
    }
    const struct config_mirror *m = config_mirror_for(&f->cfg, url);
    *used = m;
    const char *local = fetcher_served(f, url);
    if (m == NULL && local != NULL) {
        *remote = xstrdup(local); /* a registry's own repository: said by no message */
        return 0;
    }
    if (m == NULL) {
        *remote = xstrdup(url);
        return 0;
    }
    *remote = config_mirror_url(m, url);
    if (m->local && config_mirror_check(&f->cfg, m, url, *remote, e) != 0) {
        free(*remote);
        return label ? err_prefix(e, "%s: ", label) : -1;
    }
    ui_status("Replacing", "%s with %s (mirror from %s:%lu)", url, *remote, f->cfg.path, m->line);
    return 0;
}

/* Delete the REF.lock files under folder @p dir. */
static void remove_ref_locks(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    while (d != NULL && (de = dir_next(d)) != NULL) {
        char *p = path_join(dir, de->d_name);
        size_t n = strlen(de->d_name);
        struct stat st;
        if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode)) { /* links not followed */
            remove_ref_locks(p);
        } else if (n > 5 && strcmp(de->d_name + n - 5, ".lock") == 0) {
            unlink(p);
        }
        free(p);
    }
    if (d != NULL) {
        closedir(d);
    }
}

/* A run killed while writing a mirror's refs leaves their lock files, and
 * git never writes those refs again. The cache is locked by this run, so
 * any such file is stale. */
static void remove_stale_locks(git_repository *repo)
{
    const char *git_dir = git_repository_path(repo);
    static const char *const top[] = {"packed-refs.lock", "HEAD.lock", "FETCH_HEAD.lock"};
    for (size_t i = 0; i < sizeof(top) / sizeof(top[0]); i++) {
        char *p = path_join(git_dir, top[i]);
        unlink(p);
        free(p);
    }
    char *refs = path_join(git_dir, "refs");
    remove_ref_locks(refs);
    free(refs);
}

/* libgit2 walks some repositories by recursion: its local transport
 * overflows the stack on a tree nested tens of thousands deep (SIGSEGV,
 * no message), and a hostile package may hold one. So the fetch runs in a
 * child process: a crash costs an error, not the run, and leaves the cache
 * as a kill -9 would, which it survives (stale ref locks go before each
 * fetch). The child answers on a pipe: "0", or "1" and libgit2's message.
 * @return 0; -1 with libgit2's error set again here; -2 with @p why
 * saying how the child ended. */
static int fetch_in_child(git_remote *remote, const git_strarray *specs,
                          const git_fetch_options *fo, char *why, size_t whylen)
{
    int fds[2];
    if (pipe(fds) != 0) {
        snprintf(why, whylen, "cannot make a pipe: %s", strerror(errno));
        return -2;
    }
    fflush(NULL); /* nothing buffered is written twice */
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(why, whylen, "cannot fork: %s", strerror(errno));
        close(fds[0]);
        close(fds[1]);
        return -2;
    }
    if (pid == 0) {
        /* It dies with this run (a kill -9 included): it holds the cache's
         * lock too, which the next run must find free. */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent) {
            _exit(1);
        }
        close(fds[0]);
        int rc = git_remote_fetch(remote, specs, fo, NULL);
        ui_progress_end(); /* the bar is the child's to clear */
        if (fd_write_all(fds[1], rc == 0 ? "0" : "1", 1) && rc != 0) {
            fd_write_all(fds[1], git_msg(), strlen(git_msg()));
        }
        _exit(0);
    }
    close(fds[1]);
    char buf[1024];
    size_t n = 0;
    for (;;) {
        ssize_t k = read(fds[0], buf + n, sizeof(buf) - 1u - n);
        if (k < 0 && errno == EINTR) {
            continue;
        }
        if (k <= 0) {
            break;
        }
        n += (size_t)k;
    }
    close(fds[0]);
    buf[n] = '\0';
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
    }
    if (n > 0 && buf[0] == '0') {
        return 0;
    }
    if (n > 0 && buf[0] == '1') {
        git_error_set_str(GIT_ERROR_NET, buf + 1);
        return -1;
    }
    if (WIFSIGNALED(st)) {
        snprintf(why, whylen, "git (libgit2) died of signal %d (%s) reading it", WTERMSIG(st),
                 strsignal(WTERMSIG(st)));
    } else {
        snprintf(why, whylen, "git (libgit2) stopped reading it without an answer (status %d)",
                 WIFEXITED(st) ? WEXITSTATUS(st) : st);
    }
    return -2;
}

static int fetch_into(struct fetcher *f, git_repository *repo, const char *url, const char *label,
                      struct err *e)
{
    static char *specs[] = {"+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*",
                            "+HEAD:refs/cmrx/HEAD"};
    git_strarray refspecs = {specs, 3};
    git_remote *remote = NULL;
    const struct config_mirror *m;
    char *from;
    if (remote_for(f, url, label, &from, &m, e) != 0) {
        return -1;
    }
    struct progress prog;
    char *path = mirror_path(NULL, url);
    char *name = strrchr(path, '/') + 1;
    *strrchr(name, '-') = '\0';
    snprintf(prog.label, sizeof(prog.label), "%s", name);
    free(path);
    git_fetch_options fo;
    git_fetch_options_init(&fo, GIT_FETCH_OPTIONS_VERSION);
    fo.prune = GIT_FETCH_PRUNE;
    fo.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE;
    fo.callbacks.transfer_progress = on_transfer;
    fo.callbacks.credentials = on_credentials;
    fo.callbacks.payload = &prog;
    remove_stale_locks(repo);
    char why[256];
    int rc = git_remote_create_anonymous(&remote, repo, from);
    if (rc == 0) {
        rc = fetch_in_child(remote, &refspecs, &fo, why, sizeof(why));
    }
    if (rc == -2) {
        err_set(e, "cannot fetch %s%s%s%s: %s", m != NULL ? from : url, label ? " (" : "",
                label ? label : "", label ? ")" : "", why);
        err_hint(e, "the repository may be made to break git tools (a tree nested tens of "
                    "thousands deep does it); the project is as it was; tell the package's "
                    "maintainer, or leave the package out");
    } else if (rc != 0 && disk_full()) {
        err_set(e, "cannot fetch %s%s%s%s into the cache: %s", url, label ? " (" : "",
                label ? label : "", label ? ")" : "", git_msg());
        disk_full_hint(e, "the cache", f->dir);
    } else if (rc != 0 && m != NULL) {
        err_set(e, "cannot fetch from %s, the mirror of '%s'%s%s%s: %s", from, url,
                label ? " (" : "", label ? label : "", label ? ")" : "", git_msg());
        err_hint(e,
                 "check the mirror, or change or remove key '%s' of 'mirrors' in %s:%lu to "
                 "fetch from elsewhere",
                 m->prefix, f->cfg.path, m->line);
    } else if (rc != 0) {
        err_set(e, "cannot fetch from git remote '%s'%s%s%s: %s", url, label ? " (" : "",
                label ? label : "", label ? ")" : "", git_msg());
        err_hint(e,
                 "check the URL in the registry index and that the remote is reachable; with a "
                 "filled cache, --offline works without it; without the network, map the URL "
                 "to a local mirror in %s (docs/registry.md, Mirrors)",
                 f->cfg.path);
    }
    git_remote_free(remote);
    free(from);
    return rc == 0 ? 0 : -1;
}

/* Whether @p url may not be fetched: --offline, unless a registry on this
 * machine serves it (reading a local folder needs no network). */
static bool offline_for(const struct fetcher *f, const char *url)
{
    return f->offline && fetcher_served(f, url) == NULL;
}

bool fetcher_may_fetch(const struct fetcher *f, const char *url)
{
    return !offline_for(f, url);
}

int fetcher_mirror(struct fetcher *f, const char *url, const char *label, bool refresh,
                   git_repository **out, struct err *e)
{
    for (size_t i = 0; i < f->n; i++) {
        if (strcmp(f->m[i].url, url) == 0) {
            if (refresh && !offline_for(f, url) && !f->m[i].refreshed) {
                if (fetch_into(f, f->m[i].repo, url, label, e) != 0) {
                    return -1;
                }
                f->m[i].refreshed = true;
            }
            *out = f->m[i].repo;
            return 0;
        }
    }
    if (lock_cache(f, e) != 0) {
        return -1;
    }
    char *path = mirror_path(f->dir, url);
    git_repository *repo = NULL;
    bool fetched = false;
    int rc = 0;
    struct stat st;
    if (!is_dir(path) && lstat(path, &st) == 0) {
        /* A file or a dangling link where the mirror belongs: cloning would
         * fail at the final rename with a message about the ".new" folder. */
        rc = err_set(e, "the cache entry %s is not a folder", path);
        err_hint(e, "delete %s and try again; cmrx fetches it anew", path);
    } else if (is_dir(path)) {
        if (git_repository_open_bare(&repo, path) != 0) {
            rc = git_err(e, path);
            err_hint(e, "the cache entry is damaged; delete %s and try again", path);
        } else if (refresh && !offline_for(f, url)) {
            rc = fetch_into(f, repo, url, label, e);
            fetched = rc == 0;
        }
    } else if (offline_for(f, url)) {
        rc = err_set(e,
                     "git repository '%s'%s%s%s is not in the cache, and --offline forbids "
                     "fetching it",
                     url, label ? " (" : "", label ? label : "", label ? ")" : "");
        err_hint(e, "run the command once without --offline to fill the cache");
    } else {
        /* Clone next to the final place and rename, so an interrupted
         * clone never leaves a half-filled mirror behind. */
        char *tmp = xasprintf("%s.new", path);
        rm_rf(tmp);
        if (git_repository_init(&repo, tmp, 1) != 0) {
            rc = git_err(e, tmp);
        } else if ((rc = fetch_into(f, repo, url, label, e)) == 0) {
            git_repository_free(repo);
            repo = NULL;
            if (rename(tmp, path) != 0) {
                rc = err_set(e, "cannot rename %s: %s", tmp, strerror(errno));
            } else if (git_repository_open_bare(&repo, path) != 0) {
                rc = git_err(e, path);
            }
            fetched = true;
        }
        if (rc != 0) {
            git_repository_free(repo);
            repo = NULL;
            rm_rf(tmp);
        }
        free(tmp);
    }
    free(path);
    if (rc != 0) {
        git_repository_free(repo);
        return -1;
    }
    f->m = xrealloc(f->m, (f->n + 1) * sizeof(*f->m));
    f->m[f->n].url = xstrdup(url);
    f->m[f->n].repo = repo;
    f->m[f->n].refreshed = fetched;
    f->n++;
    *out = repo;
    return 0;
}

/* The mirror's ref for @p tag or @p branch, or NULL for neither. */
static char *ref_name(const char *tag, const char *branch)
{
    if (tag != NULL) {
        return xasprintf("refs/tags/%s", tag);
    } else if (branch != NULL && strcmp(branch, "HEAD") == 0) {
        return xstrdup("refs/cmrx/HEAD");
    } else if (branch != NULL) {
        return xasprintf("refs/heads/%s", branch);
    }
    return NULL;
}

int fetch_resolve_ref(git_repository *r, const char *tag, const char *branch, git_oid *out,
                      struct err *e)
{
    char *name = ref_name(tag, branch);
    if (name == NULL) {
        return 1;
    }
    git_reference *ref = NULL;
    git_object *obj = NULL;
    int rc = git_reference_lookup(&ref, r, name);
    if (rc == GIT_ENOTFOUND) {
        rc = 1;
    } else if (rc != 0) {
        rc = git_err(e, name);
    } else if (git_reference_peel(&obj, ref, GIT_OBJECT_COMMIT) != 0) {
        /* Say what the ref names instead; an object missing is for the
         * caller to blame (fetch_ref_dangles()). */
        git_object *other = NULL;
        if (git_reference_peel(&other, ref, GIT_OBJECT_ANY) == 0) {
            rc = err_set(e, "%s '%s' names a %s, not a commit", tag ? "tag" : "branch",
                         tag ? tag : branch, git_object_type2string(git_object_type(other)));
        } else {
            rc = git_err(e, name);
        }
        git_object_free(other);
    } else {
        git_oid_cpy(out, git_object_id(obj));
    }
    git_object_free(obj);
    git_reference_free(ref);
    free(name);
    return rc;
}

bool fetch_ref_dangles(git_repository *r, const char *tag, const char *branch)
{
    char *name = ref_name(tag, branch);
    git_reference *ref = NULL;
    git_object *obj = NULL;
    bool dangles = name != NULL && git_reference_lookup(&ref, r, name) == 0 &&
                   git_reference_peel(&obj, ref, GIT_OBJECT_ANY) == GIT_ENOTFOUND;
    git_object_free(obj);
    git_reference_free(ref);
    free(name);
    return dangles;
}

bool fetch_has_commit(git_repository *r, const git_oid *id)
{
    git_commit *c = NULL;
    bool ok = git_commit_lookup(&c, r, id) == 0;
    git_commit_free(c);
    return ok;
}

int fetch_subtree(git_repository *r, const git_oid *commit, const char *subdir, git_oid *tree,
                  struct err *e)
{
    git_commit *c = NULL;
    git_tree *root = NULL;
    git_tree_entry *ent = NULL;
    char hex[GIT_OID_HEXSZ + 1];
    git_oid_tostr(hex, sizeof(hex), commit);
    int rc = 0;
    if (git_commit_lookup(&c, r, commit) != 0 || git_commit_tree(&root, c) != 0) {
        rc = git_err(e, hex);
    } else if (subdir == NULL || *subdir == '\0') {
        git_oid_cpy(tree, git_tree_id(root));
    } else if (git_tree_entry_bypath(&ent, root, subdir) != 0 ||
               git_tree_entry_type(ent) != GIT_OBJECT_TREE) {
        rc = err_set(e, "commit %s has no folder '%s'", hex, subdir);
    } else {
        git_oid_cpy(tree, git_tree_entry_id(ent));
    }
    git_tree_entry_free(ent);
    git_tree_free(root);
    git_commit_free(c);
    return rc;
}

int fetch_last_change(git_repository *r, const git_oid *commit, const char *subdir, git_oid *out,
                      struct err *e)
{
    git_oid cur = *commit, tree;
    if (fetch_subtree(r, &cur, subdir, &tree, e) != 0) {
        return -1;
    }
    /* First parents only: a merge that brought the change is where it
     * entered the branch. The walk is bounded; a folder unchanged for longer
     * is locked at the commit reached. */
    for (int steps = 0; steps < 100000; steps++) {
        git_commit *c = NULL;
        if (git_commit_lookup(&c, r, &cur) != 0 || git_commit_parentcount(c) == 0) {
            git_commit_free(c);
            break;
        }
        git_oid parent = *git_commit_parent_id(c, 0), ptree;
        git_commit_free(c);
        struct err ignored;
        if (fetch_subtree(r, &parent, subdir, &ptree, &ignored) != 0 ||
            !git_oid_equal(&ptree, &tree)) {
            break;
        }
        cur = parent;
    }
    *out = cur;
    return 0;
}

int fetch_read_file(git_repository *r, const git_oid *commit, const char *path, char **data,
                    size_t *len, struct err *e)
{
    git_commit *c = NULL;
    git_tree *root = NULL;
    git_tree_entry *ent = NULL;
    git_blob *b = NULL;
    int rc = 1;
    if (git_commit_lookup(&c, r, commit) != 0 || git_commit_tree(&root, c) != 0) {
        rc = git_err(e, path);
    } else if (git_tree_entry_bypath(&ent, root, path) == 0 &&
               git_tree_entry_type(ent) == GIT_OBJECT_BLOB) {
        if (git_blob_lookup(&b, r, git_tree_entry_id(ent)) != 0) {
            rc = git_err(e, path);
        } else {
            *len = (size_t)git_blob_rawsize(b);
            *data = xmalloc(*len + 1);
            memcpy(*data, git_blob_rawcontent(b), *len);
            (*data)[*len] = '\0';
            rc = 0;
        }
    }
    git_blob_free(b);
    git_tree_entry_free(ent);
    git_tree_free(root);
    git_commit_free(c);
    return rc;
}

int fetch_peek(struct fetcher *f, const char *url, const char *tag, const char *branch,
               const char *commit, git_repository **repo, git_oid *id, struct err *e)
{
    bool local = url[0] == '/';
    char *mirror = local ? NULL : mirror_path(f->dir, url);
    /* No cache lock: reading never races a fetch into a mirror, which adds
     * objects before it moves refs, and a clone appears by a rename. */
    int rc = local ? git_repository_open_ext(repo, url, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL)
             : is_dir(mirror) ? git_repository_open_bare(repo, mirror)
                              : 1;
    free(mirror);
    if (rc != 0) {
        return 1;
    }
    if (tag == NULL && branch != NULL && strcmp(branch, "HEAD") == 0 && local) {
        rc = git_reference_name_to_id(id, *repo, "HEAD") == 0 ? 0 : 1;
    } else if (tag != NULL || branch != NULL) {
        rc = fetch_resolve_ref(*repo, tag, branch, id, e);
    } else {
        rc = git_oid_fromstr(id, commit) == 0 && fetch_has_commit(*repo, id) ? 0 : 1;
    }
    if (rc != 0) {
        git_repository_free(*repo);
        *repo = NULL;
    }
    return rc;
}

/* Reject trees that would write outside the destination or need what we
 * do not support. */
struct walk_ctx {
    git_repository *repo;
    git_tree *root;
    size_t room;  /* the longest path the destination folder can take */
    size_t steps; /* components followed so far, by every link's check */
    struct err *e;
    int rc;
};

/* What following every link of a package may take: far more than real
 * packages need (10,000 links of 100 components), and a second or so. */
#define LINK_STEPS_MAX 1000000

/* The target of the link blob @p id, or NULL if it holds a NUL byte. */
static char *link_target(git_repository *r, const git_oid *id)
{
    git_blob *b = NULL;
    if (git_blob_lookup(&b, r, id) != 0) {
        return NULL;
    }
    size_t n = (size_t)git_blob_rawsize(b);
    char *t = xmalloc(n + 1);
    memcpy(t, git_blob_rawcontent(b), n);
    t[n] = '\0';
    git_blob_free(b);
    if (strlen(t) != n) {
        free(t);
        return NULL;
    }
    return t;
}

/*
 * Resolve @p target, a link's target, from folder @p dir ("" for the
 * package's root, else "a/b/") as the file system will once the tree is
 * written: every component that is itself a link of the tree is followed,
 * so "d" -> "." makes "d/d/../.." climb two levels, not none. *dir is
 * updated to the folder reached. @return false if it leaves the package
 * (or loops), true otherwise.
 */
static bool resolve_inside(struct walk_ctx *w, char **dir, const char *target, int *hops)
{
    if (target[0] == '/' || ++*hops > 40) {
        return false;
    }
    for (const char *c = target; *c && w->steps <= LINK_STEPS_MAX; w->steps++) {
        size_t n = strcspn(c, "/");
        size_t len = strlen(*dir);
        if (n == 2 && c[0] == '.' && c[1] == '.') {
            if (len == 0) {
                return false;
            }
            (*dir)[len - 1] = '\0'; /* "a/b/" -> "a/" */
            char *slash = strrchr(*dir, '/');
            if (slash != NULL) {
                slash[1] = '\0';
            } else {
                (*dir)[0] = '\0';
            }
        } else if (n > 0 && !(n == 1 && c[0] == '.')) {
            /* "DIR" + "NAME", room for a '/': built by hand, as this runs
             * once a component of every link. */
            char *path = xmalloc(len + n + 2);
            memcpy(path, *dir, len);
            memcpy(path + len, c, n);
            path[len + n] = '\0';
            git_tree_entry *ent = NULL;
            bool is_link = git_tree_entry_bypath(&ent, w->root, path) == 0 &&
                           git_tree_entry_filemode(ent) == GIT_FILEMODE_LINK;
            char *next = is_link ? link_target(w->repo, git_tree_entry_id(ent)) : NULL;
            git_tree_entry_free(ent);
            bool ok = true;
            if (is_link) {
                ok = next != NULL && resolve_inside(w, dir, next, hops);
            } else {
                free(*dir);
                path[len + n] = '/';
                path[len + n + 1] = '\0';
                *dir = path;
                path = NULL;
            }
            free(next);
            free(path);
            if (!ok) {
                return false;
            }
        }
        c += n + (c[n] == '/');
    }
    return true;
}

/* Checked before anything is written: the error libgit2 gives midway
 * quotes the whole path (4 KB) and says nothing of the cause. */
static int too_long(struct walk_ctx *w, const char *root, const char *name)
{
    size_t len = strlen(root) + strlen(name);
    if (len <= w->room) {
        return 0;
    }
    w->rc = err_set(w->e,
                    "the package holds a path of %zu bytes ('%.40s...'); written into this "
                    "project, it would be longer than the %d bytes the system takes",
                    len, root, PATH_MAX - 1);
    return err_hint(w->e, "move the project to a shorter path, or tell the package's maintainer");
}

static int on_entry(const char *root, const git_tree_entry *ent, void *payload)
{
    struct walk_ctx *w = payload;
    const char *name = git_tree_entry_name(ent);
    if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0 || strcasecmp(name, ".git") == 0 ||
        strchr(name, '\\') != NULL) {
        w->rc = err_set(w->e, "the package holds an entry '%s%s' that cannot be written safely",
                        root, name);
        return -1;
    }
    if (too_long(w, root, name) != 0) {
        return -1;
    }
    if (git_tree_entry_type(ent) == GIT_OBJECT_COMMIT) {
        w->rc =
            err_set(w->e, "'%s%s' is a git submodule; packages cannot hold submodules", root, name);
        return -1;
    }
    if (git_tree_entry_filemode(ent) == GIT_FILEMODE_LINK) {
        char *target = link_target(w->repo, git_tree_entry_id(ent));
        char *dir = xstrdup(root);
        int hops = 0;
        /* symlink() takes no longer target; following one costs a step a
         * component, which the budget bounds for the whole package. */
        size_t tlen = target != NULL ? strlen(target) : 0;
        bool bad = target == NULL || tlen >= PATH_MAX || !resolve_inside(w, &dir, target, &hops) ||
                   w->steps > LINK_STEPS_MAX;
        if (tlen >= PATH_MAX) {
            w->rc = err_set(w->e,
                            "symbolic link '%s%s' has a target of %zu bytes; links hold at most "
                            "%d",
                            root, name, tlen, PATH_MAX - 1);
            err_hint(w->e, "tell the package's maintainer");
        } else if (w->steps > LINK_STEPS_MAX) {
            w->rc = err_set(w->e,
                            "the package's symbolic links take more than %d steps to follow "
                            "(long chains of links and folders), at '%s%s'",
                            LINK_STEPS_MAX, root, name);
            err_hint(w->e, "tell the package's maintainer");
        } else if (bad) {
            w->rc = err_set(w->e, "symbolic link '%s%s' points outside the package (to '%s')", root,
                            name, target != NULL ? target : "(a name with a NUL byte)");
        }
        free(dir);
        free(target);
        return bad ? -1 : 0;
    }
    return 0;
}

/* Two entries of one name in tree @p t, folder @p dir ("" or "a/b/") of
 * the package (git fsck: duplicateEntries): the link check would read one
 * and the checkout write the other. Entries are sorted, so equal names are
 * near each other (a folder "x" sorts as "x/": names such as "x.c" may lie
 * between it and a file "x"). */
static int check_duplicates(struct walk_ctx *w, const git_tree *t, const char *dir)
{
    size_t n = git_tree_entrycount(t);
    /* First, as it bounds the search below: a name is compared with those
     * it is a prefix of, at most NAME_MAX of them each. Names "a", "aa",
     * "aaa"... of any length made that work grow with the cube of their
     * number. */
    for (size_t i = 0; i < n; i++) {
        const char *a = git_tree_entry_name(git_tree_entry_byindex(t, i));
        if (strlen(a) > NAME_MAX) {
            w->rc = err_set(w->e,
                            "the package holds a name of %zu bytes ('%s%.40s...'); file systems "
                            "take names of at most %d bytes",
                            strlen(a), dir, a, NAME_MAX);
            return err_hint(w->e, "tell the package's maintainer");
        }
    }
    for (size_t i = 0; i < n; i++) {
        const char *a = git_tree_entry_name(git_tree_entry_byindex(t, i));
        size_t la = strlen(a);
        for (size_t j = i + 1; j < n; j++) {
            const char *b = git_tree_entry_name(git_tree_entry_byindex(t, j));
            if (strncmp(a, b, la) != 0) {
                break; /* past every name that starts with a */
            }
            if (b[la] == '\0') {
                w->rc = err_set(w->e, "the package holds two entries named '%s%s'", dir, a);
                return err_hint(w->e, "the commit is malformed (git fsck: duplicateEntries); "
                                      "tell the package's maintainer");
            }
        }
    }
    return 0;
}

static int on_subtree(const char *root, const git_tree_entry *ent, void *payload)
{
    struct walk_ctx *w = payload;
    git_tree *t = NULL;
    if (git_tree_entry_type(ent) != GIT_OBJECT_TREE) {
        return 0;
    }
    /* Here, in the first walk: libgit2 recurses into every folder, and a
     * tree deeper than any path overflowed the stack. */
    if (too_long(w, root, git_tree_entry_name(ent)) != 0) {
        return -1;
    }
    if (git_tree_lookup(&t, w->repo, git_tree_entry_id(ent)) != 0) {
        w->rc = git_err(w->e, "package tree");
        return -1;
    }
    char *dir = xasprintf("%s%s/", root, git_tree_entry_name(ent));
    int rc = check_duplicates(w, t, dir);
    free(dir);
    git_tree_free(t);
    return rc;
}

/* Writing a package's files can take long (50,000 files: seconds), and
 * the terminal would show nothing meanwhile. */
static void on_checkout(const char *path, size_t done, size_t total, void *payload)
{
    (void)path;
    ui_progress("Unpacking", payload, done, total, "files", 0);
}

int fetch_checkout(git_repository *r, const git_oid *tree, const char *dest, const char *label,
                   struct err *e)
{
    git_tree *t = NULL;
    if (git_tree_lookup(&t, r, tree) != 0) {
        return git_err(e, "package tree");
    }
    size_t used = strlen(dest) + 2; /* dest, '/', ..., NUL */
    struct walk_ctx w = {r, t, used < PATH_MAX ? PATH_MAX - used : 0, 0, e, 0};
    int rc = check_duplicates(&w, t, "");
    if (rc == 0) {
        rc = git_tree_walk(t, GIT_TREEWALK_PRE, on_subtree, &w);
    }
    if (rc == 0) {
        rc = git_tree_walk(t, GIT_TREEWALK_PRE, on_entry, &w);
    }
    if (rc != 0) {
        git_tree_free(t);
        return w.rc ? -1 : git_err(e, "package tree");
    }
    if (mkdir_p(dest) != 0) {
        git_tree_free(t);
        return err_set(e, "cannot create %s: %s", dest, strerror(errno));
    }
    /* Files are written byte for byte (no end-of-line or other filters), so
     * the folder hashes back to the same tree id. */
    git_checkout_options co;
    git_checkout_options_init(&co, GIT_CHECKOUT_OPTIONS_VERSION);
    co.checkout_strategy = GIT_CHECKOUT_FORCE | GIT_CHECKOUT_DONT_UPDATE_INDEX;
    co.target_directory = dest;
    co.disable_filters = 1;
    co.progress_cb = on_checkout;
    co.progress_payload = (void *)label;
    rc = git_checkout_tree(r, (git_object *)t, &co);
    ui_progress_end();
    git_tree_free(t);
    if (rc != 0 && disk_full()) {
        git_err(e, dest);
        return disk_full_hint(e, "the project", dest);
    }
    return rc == 0 ? 0 : git_err(e, dest);
}

static int git_inits;

void git_needed(void)
{
    git_libgit2_init();
    git_inits++;
}

void git_release(void)
{
    for (; git_inits > 0; git_inits--) {
        git_libgit2_shutdown();
    }
}
