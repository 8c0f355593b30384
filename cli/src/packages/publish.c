#include "publish.h"

#include <cjson/cJSON.h>
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bsp.h"
#include "fetch.h"
#include "fsutil.h"
#include "semver.h"

static int git_fail(struct err *e, const char *what)
{
    const git_error *ge = git_error_last();
    return err_set(e, "%s: %s", what, ge && ge->message ? ge->message : "libgit2 error");
}

/* What the package is, read from the tag's tree. */
struct pkg_info {
    enum pkg_kind kind;
    char *name;
    char *description;
    char *cpu, *qemu, *pyocd; /* a board's */
};

static char *in_pkg(const char *subdir, const char *rel)
{
    return subdir != NULL ? xasprintf("%s/%s", subdir, rel) : xstrdup(rel);
}

/* 0 with *data, 1 if absent, -1. */
static int read_at(git_repository *repo, const git_oid *commit, const char *subdir, const char *rel,
                   char **data, size_t *len, struct err *e)
{
    char *path = in_pkg(subdir, rel);
    int rc = fetch_read_file(repo, commit, path, data, len, e);
    free(path);
    return rc;
}

/* The first line of the README's first paragraph: the index's one line. */
static char *readme_line(const char *text)
{
    for (const char *l = text; l != NULL && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
        size_t n = strcspn(l, "\n");
        while (n > 0 && (l[n - 1] == ' ' || l[n - 1] == '\r')) {
            n--;
        }
        if (n > 0 && l[0] != '#' && l[0] != '=' && l[0] != '-' && l[0] != '`') {
            return xasprintf("%.*s", (int)(n < 200 ? n : 200), l);
        }
    }
    return NULL;
}

static int inspect(git_repository *repo, const git_oid *commit, const char *subdir,
                   const char *folder_name, struct pkg_info *pi, struct err *e)
{
    char *data = NULL;
    size_t len = 0;
    int rc = read_at(repo, commit, subdir, "bsp.yaml", &data, &len, e);
    if (rc < 0) {
        return -1;
    }
    if (rc == 0) {
        struct bsp b;
        rc = bsp_parse("bsp.yaml", data, len, &b, e);
        free(data);
        if (rc != 0) {
            return err_prefix(e, "the board package is broken: ");
        }
        pi->kind = KIND_BSP;
        pi->name = xstrdup(b.name);
        pi->description = xstrdup(b.description);
        pi->cpu = xstrdup(b.cpu);
        pi->qemu = xstrdup(b.qemu_machine);
        pi->pyocd = xstrdup(b.pyocd_target);
        bsp_free(&b);
        return 0;
    }
    bool component = read_at(repo, commit, subdir, "component.cmake", &data, &len, e) == 0;
    free(data);
    data = NULL;
    bool tmpl = !component && read_at(repo, commit, subdir, "cmrx.yaml", &data, &len, e) == 0;
    free(data);
    data = NULL;
    if (!component && !tmpl) {
        err_set(e,
                "%s is not a package: it holds neither component.cmake (a component), "
                "bsp.yaml (a board) nor cmrx.yaml (a project template)",
                folder_name);
        return err_hint(e, "docs/components.md says what a component holds; commit the file "
                           "before you tag");
    }
    pi->kind = component ? KIND_COMPONENT : KIND_TEMPLATE;
    pi->name = xstrdup(folder_name);
    if (read_at(repo, commit, subdir, "README.md", &data, &len, e) == 0) {
        pi->description = readme_line(data);
    }
    free(data);
    return 0;
}

static void info_free(struct pkg_info *pi)
{
    free(pi->name);
    free(pi->description);
    free(pi->cpu);
    free(pi->qemu);
    free(pi->pyocd);
}

/* Uncommitted changes inside the package folder: a tag made now would not
 * hold what the folder shows. */
static int check_clean(git_repository *repo, const char *subdir, const char *shown, struct err *e)
{
    git_status_options so;
    git_status_options_init(&so, GIT_STATUS_OPTIONS_VERSION);
    so.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS;
    char *spec = subdir != NULL ? xasprintf("%s/", subdir) : NULL;
    char *specs[1] = {spec};
    if (spec != NULL) {
        so.pathspec.strings = specs;
        so.pathspec.count = 1;
    }
    git_status_list *st = NULL;
    int rc = 0;
    if (git_status_list_new(&st, repo, &so) != 0) {
        rc = git_fail(e, shown);
    } else if (git_status_list_entrycount(st) > 0) {
        const git_status_entry *s = git_status_byindex(st, 0);
        const git_diff_delta *d = s->index_to_workdir ? s->index_to_workdir : s->head_to_index;
        size_t n = git_status_list_entrycount(st);
        char more[48] = "";
        if (n > 1) {
            snprintf(more, sizeof(more), " and %zu more", n - 1);
        }
        rc = err_set(e, "%s has changes that are not committed: %s%s", shown,
                     d && d->new_file.path ? d->new_file.path : "?", more);
        err_hint(e, "commit (or stash) them first: a registry publishes what a tag holds, and "
                    "the tag is made from the last commit");
    }
    git_status_list_free(st);
    free(spec);
    return rc;
}

/* The index file of registry folder (or file) @p loc; created empty if the
 * folder has none. */
static char *index_path(const char *loc, bool *fresh, struct err *e)
{
    *fresh = false;
    if (path_is_url(loc)) {
        err_set(e, "cannot publish into '%s' directly: it is a remote", loc);
        err_hint(e,
                 "clone it (`git clone %s reg`), run `cmrx package TAG --registry reg`, then "
                 "`git -C reg push`",
                 loc);
        return NULL;
    }
    char *abs = path_absolute(loc);
    if (path_exists(abs) && !is_dir(abs)) {
        return abs;
    }
    if (!is_dir(abs)) {
        err_set(e, "registry folder %s does not exist", abs);
        free(abs);
        return NULL;
    }
    const char *names[] = {"index.json", "registry/index.json"};
    for (size_t i = 0; i < 2; i++) {
        char *p = path_join(abs, names[i]);
        if (path_exists(p)) {
            free(abs);
            return p;
        }
        free(p);
    }
    *fresh = true;
    char *p = path_join(abs, "index.json");
    free(abs);
    return p;
}

static cJSON *find_named(cJSON *arr, const char *key, const char *value)
{
    cJSON *it;
    cJSON_ArrayForEach(it, arr)
    {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(it, key);
        if (cJSON_IsString(v) && strcmp(v->valuestring, value) == 0) {
            return it;
        }
    }
    return NULL;
}

static void add_str(cJSON *o, const char *k, const char *v)
{
    if (v != NULL) {
        cJSON_AddStringToObject(o, k, v);
    }
}

/* The index text with the version added. @return 0 (1: it is there
 * already, identical), or -1 with a message. */
static int edit_index(const char *index, const char *text, const struct pkg_info *pi,
                      const char *version, const char *tag, const char *git, const char *commit,
                      const char *subdir, const char *checksum, char **out, struct err *e)
{
    cJSON *root = text != NULL ? cJSON_Parse(text) : cJSON_CreateObject();
    if (root == NULL || !cJSON_IsObject(root)) {
        cJSON_Delete(root);
        return err_set(e, "%s is not a registry index (JSON object)", index);
    }
    if (text == NULL) {
        cJSON_AddNumberToObject(root, "schema", 1);
        cJSON_AddArrayToObject(root, "packages");
    }
    cJSON *pkgs = cJSON_GetObjectItemCaseSensitive(root, "packages");
    cJSON *p = cJSON_IsArray(pkgs) ? find_named(pkgs, "name", pi->name) : NULL;
    int rc = 0;
    if (!cJSON_IsArray(pkgs)) {
        rc = err_set(e, "%s has no 'packages' list", index);
    } else if (p == NULL) {
        p = cJSON_CreateObject();
        cJSON_AddStringToObject(p, "name", pi->name);
        cJSON_AddStringToObject(p, "kind", pkg_kind_name(pi->kind));
        cJSON_AddStringToObject(p, "description", pi->description ? pi->description : pi->name);
        cJSON_AddArrayToObject(p, "versions");
        cJSON_AddItemToArray(pkgs, p);
    } else {
        const cJSON *k = cJSON_GetObjectItemCaseSensitive(p, "kind");
        if (!cJSON_IsString(k) || strcmp(k->valuestring, pkg_kind_name(pi->kind)) != 0) {
            rc = err_set(e, "%s lists '%s' as a %s, but this package is a %s", index, pi->name,
                         cJSON_IsString(k) ? k->valuestring : "?", pkg_kind_name(pi->kind));
            err_hint(e, "a name is one package: rename the folder (or the board) to publish "
                        "another");
        }
    }
    cJSON *versions = p != NULL ? cJSON_GetObjectItemCaseSensitive(p, "versions") : NULL;
    if (rc == 0 && !cJSON_IsArray(versions)) {
        rc = err_set(e, "%s: package '%s' has no 'versions' list", index, pi->name);
    }
    cJSON *have = rc == 0 ? find_named(versions, "version", version) : NULL;
    if (have != NULL) {
        const cJSON *sum = cJSON_GetObjectItemCaseSensitive(have, "checksum");
        const cJSON *com = cJSON_GetObjectItemCaseSensitive(have, "commit");
        bool same_sum = cJSON_IsString(sum) && strcmp(sum->valuestring, checksum) == 0;
        bool same_com = !cJSON_IsString(com) || strcmp(com->valuestring, commit) == 0;
        if (same_sum && same_com) {
            rc = 1;
        } else {
            rc = err_set(e,
                         "%s %s is published in %s with checksum %s, but tag '%s' now holds "
                         "%s (commit %.12s)",
                         pi->name, version, index, cJSON_IsString(sum) ? sum->valuestring : "none",
                         tag, checksum, commit);
            err_hint(e, "a published version never changes, so projects that locked it stay "
                        "reproducible: tag the new content as a new version (e.g. a patch "
                        "release) and publish that");
        }
    } else if (rc == 0) {
        cJSON *v = cJSON_CreateObject();
        cJSON_AddStringToObject(v, "version", version);
        cJSON_AddStringToObject(v, "git", git);
        if (strcmp(tag, version) != 0) {
            cJSON_AddStringToObject(v, "tag", tag);
        }
        cJSON_AddStringToObject(v, "commit", commit);
        add_str(v, "subdir", subdir);
        cJSON_AddStringToObject(v, "checksum", checksum);
        add_str(v, "cpu", pi->cpu);
        add_str(v, "qemu", pi->qemu);
        add_str(v, "pyocd", pi->pyocd);
        cJSON_AddItemToArray(versions, v);
        *out = cJSON_Print(root);
        if (*out == NULL) {
            rc = err_set(e, "out of memory writing %s", index);
        }
    }
    cJSON_Delete(root);
    return rc;
}

/* Commit the index in the repository holding it (if one does); the index
 * must have had no uncommitted edits, which a commit would sweep up. */
static int index_repo(const char *index, git_repository **out, char **rel, struct err *e)
{
    *out = NULL;
    *rel = NULL;
    char *dir = xstrdup(index);
    *strrchr(dir, '/') = '\0';
    git_repository *r = NULL;
    if (git_repository_open_ext(&r, dir, 0, NULL) != 0 || git_repository_workdir(r) == NULL) {
        git_repository_free(r);
        free(dir);
        return 0; /* a plain folder: nothing to commit */
    }
    free(dir);
    const char *wd = git_repository_workdir(r);
    char *wabs = path_absolute(wd);
    size_t n = strlen(wabs);
    *rel = xstrdup(index + n + (index[n] == '/' ? 1 : 0));
    free(wabs);
    unsigned int flags = 0;
    if (git_status_file(&flags, r, *rel) == 0 && flags != GIT_STATUS_CURRENT) {
        err_set(e, "%s has changes that are not committed", index);
        err_hint(e, "commit or discard them first; `cmrx package` commits only its own change");
        git_repository_free(r);
        free(*rel);
        *rel = NULL;
        return -1;
    }
    *out = r;
    return 0;
}

static int commit_index(git_repository *r, const char *rel, const char *msg, struct err *e)
{
    git_index *idx = NULL;
    git_oid tree_id, commit_id, parent_id;
    git_tree *tree = NULL;
    git_commit *parent = NULL;
    git_signature *sig = NULL;
    int rc = git_repository_index(&idx, r) || git_index_add_bypath(idx, rel) ||
             git_index_write(idx) || git_index_write_tree(&tree_id, idx) ||
             git_tree_lookup(&tree, r, &tree_id);
    if (rc == 0 && git_signature_default(&sig, r) != 0) {
        rc = git_signature_now(&sig, "cmrx", "cmrx@localhost");
    }
    bool has_parent = git_reference_name_to_id(&parent_id, r, "HEAD") == 0 &&
                      git_commit_lookup(&parent, r, &parent_id) == 0;
    if (rc == 0) {
        const git_commit *parents[1] = {parent};
        rc = git_commit_create(&commit_id, r, "HEAD", sig, sig, NULL, msg, tree, has_parent ? 1 : 0,
                               parents);
    }
    int out = rc != 0 ? git_fail(e, "cannot commit the registry index") : 0;
    git_signature_free(sig);
    git_commit_free(parent);
    git_tree_free(tree);
    git_index_free(idx);
    return out;
}

int publish(const struct publish_opts *o, struct publish_result *res, struct err *e)
{
    memset(res, 0, sizeof(*res));
    git_repository *repo = NULL;
    git_repository *ireg = NULL;
    char *abs = path_absolute(o->dir);
    char *subdir = NULL, *git = NULL, *index = NULL, *text = NULL, *out = NULL, *rel = NULL;
    struct pkg_info pi = {0};
    git_oid commit, tree;
    bool made_tag = false;
    int rc = 0;
    const char *folder = strrchr(abs, '/') ? strrchr(abs, '/') + 1 : abs;
    if (git_repository_open_ext(&repo, abs, 0, NULL) != 0 || git_repository_workdir(repo) == NULL) {
        rc = err_set(e, "%s is not in a git repository", abs);
        err_hint(e, "a package is published from its git repository: `git init`, commit it, "
                    "then `cmrx package TAG --registry R`");
        goto done;
    }
    {
        char *wd = path_absolute(git_repository_workdir(repo));
        size_t n = strlen(wd);
        if (strcmp(abs, wd) != 0) {
            subdir = xstrdup(abs + n + 1);
        }
        /* Where users fetch it: the repository's origin, else this folder. */
        git_remote *origin = NULL;
        git = git_remote_lookup(&origin, repo, "origin") == 0 && git_remote_url(origin)
                  ? xstrdup(git_remote_url(origin))
                  : xstrdup(wd);
        git_remote_free(origin);
        free(wd);
    }
    if (!path_is_url(git) && git[0] != '/') {
        rc = err_set(e, "the origin of %s is '%s', which a registry cannot name", abs, git);
        err_hint(e, "set an absolute path or URL: `git remote set-url origin URL`");
        goto done;
    }
    const char *version = (o->tag[0] == 'v' || o->tag[0] == 'V') ? o->tag + 1 : o->tag;
    struct semver sv;
    if (semver_parse(version, &sv, e) != 0) {
        err_prefix(e, "tag '%s' is not a version: ", o->tag);
        rc = err_hint(e, "name the release by its semantic version: 1.2.0 or v1.2.0");
        goto done;
    }
    if ((rc = check_clean(repo, subdir, abs, e)) != 0) {
        goto done;
    }
    rc = fetch_resolve_ref(repo, o->tag, NULL, &commit, e);
    if (rc > 0) {
        /* Not tagged yet: the release is the last commit. */
        git_object *head = NULL;
        git_oid tag_id;
        rc = git_revparse_single(&head, repo, "HEAD^{commit}") != 0 ||
                     git_tag_create_lightweight(&tag_id, repo, o->tag, head, 0) != 0
                 ? git_fail(e, "cannot make the tag")
                 : 0;
        if (rc == 0) {
            commit = *git_object_id(head);
            made_tag = true;
        }
        git_object_free(head);
    }
    if (rc != 0 || (rc = fetch_subtree(repo, &commit, subdir, &tree, e)) != 0) {
        goto done;
    }
    if ((rc = inspect(repo, &commit, subdir, folder, &pi, e)) != 0) {
        goto done;
    }
    if (!name_is_valid(pi.name)) {
        rc = err_set(e, "'%s' is not a package name (lower case letters, digits, '-', '_', '.')",
                     pi.name);
        err_hint(e, "the package is named after its folder; rename the folder");
        goto done;
    }
    bool fresh;
    index = index_path(o->registry, &fresh, e);
    size_t len = 0;
    if (index == NULL || (!fresh && read_file(index, &text, &len, e) != 0)) {
        rc = -1;
        goto done;
    }
    if (!fresh) {
        struct registry check;
        if (registry_parse(index, text, len, &check, e) != 0) {
            rc = err_prefix(e, "cannot publish into a broken index: ");
            goto done;
        }
        registry_free(&check);
    }
    char chex[GIT_OID_HEXSZ + 1], thex[GIT_OID_HEXSZ + 1];
    git_oid_tostr(chex, sizeof(chex), &commit);
    git_oid_tostr(thex, sizeof(thex), &tree);
    rc = edit_index(index, text, &pi, version, o->tag, git, chex, subdir, thex, &out, e);
    if (rc == 1) {
        res->unchanged = true;
        rc = 0;
        goto done;
    }
    if (rc != 0 || (rc = index_repo(index, &ireg, &rel, e)) != 0) {
        goto done;
    }
    {
        /* What is written must read back as a valid index. */
        struct registry check;
        if (registry_parse(index, out, strlen(out), &check, e) != 0) {
            rc = err_prefix(e, "the new entry would break the index: ");
            goto done;
        }
        registry_free(&check);
    }
    size_t olen = strlen(out);
    out = xrealloc(out, olen + 2);
    memcpy(out + olen, "\n", 2);
    if ((rc = write_file_atomic(index, out, olen + 1, e)) != 0) {
        goto done;
    }
    if (ireg != NULL) {
        char *msg = xasprintf("Publish %s %s\n\nchecksum %s, commit %s of %s\n", pi.name, version,
                              thex, chex, git);
        rc = commit_index(ireg, rel, msg, e);
        free(msg);
        if (rc != 0) {
            /* Back as it was: the old text, or no index at all. */
            struct err ignored;
            if (fresh) {
                remove(index);
            } else {
                write_file_atomic(index, text, len, &ignored);
            }
            goto done;
        }
        res->committed = true;
    }
done:
    if (rc != 0 && made_tag) {
        git_tag_delete(repo, o->tag);
        made_tag = false;
    }
    if (rc == 0) {
        res->name = xstrdup(pi.name);
        res->version = xstrdup(version);
        res->kind = pi.kind;
        res->index = xstrdup(index);
        res->tagged = made_tag;
    }
    info_free(&pi);
    git_repository_free(ireg);
    git_repository_free(repo);
    free(rel);
    free(out);
    free(text);
    free(index);
    free(git);
    free(subdir);
    free(abs);
    return rc ? -1 : 0;
}

void publish_result_free(struct publish_result *r)
{
    free(r->name);
    free(r->version);
    free(r->index);
    memset(r, 0, sizeof(*r));
}
