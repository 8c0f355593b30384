#include "config.h"

#include <git2.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "sdk.h"
#include "yamldoc.h"

/* A mirror path as the file means it: "~/" is the home folder, a relative
 * path is relative to the file's own folder. */
static char *resolve_path(const char *file, const char *value)
{
    const char *home = getenv("HOME");
    if ((strcmp(value, "~") == 0 || strncmp(value, "~/", 2) == 0) && home != NULL &&
        home[0] == '/') {
        char *joined = xasprintf("%s%s", home, value + 1);
        char *abs = path_absolute(joined);
        free(joined);
        return abs;
    }
    if (value[0] == '/') {
        return path_absolute(value);
    }
    char *dir = path_absolute(file);
    *strrchr(dir, '/') = '\0';
    char *joined = path_join(dir[0] ? dir : "/", value);
    char *abs = path_absolute(joined);
    free(joined);
    free(dir);
    return abs;
}

static int read_mirrors(struct ydoc *d, yaml_node_t *v, const char *where, void *obj, struct err *e)
{
    struct config *c = obj;
    if (ydoc_is_null(v)) {
        return 0;
    }
    if (v->type != YAML_MAPPING_NODE) {
        ydoc_fail(d, v, e, "'%s' must be a mapping of upstream URLs to mirrors", where);
        return err_hint(e,
                        "e.g.\n  mirrors:\n    https://github.com/littlefs-project/littlefs.git: "
                        "/srv/mirrors/littlefs.git");
    }
    size_t n = (size_t)(v->data.mapping.pairs.top - v->data.mapping.pairs.start);
    c->mirrors = xcalloc(n, sizeof(*c->mirrors));
    for (yaml_node_pair_t *p = v->data.mapping.pairs.start; p < v->data.mapping.pairs.top; p++) {
        yaml_node_t *kn = yaml_document_get_node(&d->doc, p->key);
        yaml_node_t *vn = yaml_document_get_node(&d->doc, p->value);
        const char *key = ydoc_scalar(kn);
        if (key == NULL || key[0] == '\0' || ydoc_is_null(kn)) {
            return ydoc_fail(d, kn, e, "'%s': a key must be an upstream URL (or its prefix)",
                             where);
        }
        for (size_t i = 0; i < c->n_mirrors; i++) {
            if (strcmp(c->mirrors[i].prefix, key) == 0) {
                return ydoc_fail(d, kn, e, "'%s': '%s' appears twice (first on line %lu)", where,
                                 key, c->mirrors[i].line);
            }
        }
        char *path = xasprintf("%s.\"%s\"", where, key);
        char *target = NULL;
        int rc = ydoc_str(d, vn, path, &target, e);
        free(path);
        if (rc != 0) {
            return err_hint(e, "give the mirror's path or URL, e.g. /srv/mirrors/littlefs.git");
        }
        struct config_mirror *m = &c->mirrors[c->n_mirrors++];
        m->prefix = xstrdup(key);
        m->line = ydoc_line(kn);
        m->local = !path_is_url(target);
        m->target = m->local ? resolve_path(d->path, target) : xstrdup(target);
        free(target);
    }
    return 0;
}

/* registries: a list of registry locations stacked on the default one;
 * a path is made absolute as mirrors' paths are. */
static int read_registries(struct ydoc *d, yaml_node_t *v, const char *where, void *obj,
                           struct err *e)
{
    struct config *c = obj;
    if (ydoc_is_null(v)) {
        return 0;
    }
    if (ydoc_str_list(d, v, where, &c->registries, &c->n_registries, e) != 0) {
        return err_hint(e, "e.g.\n  registries:\n    - https://example.com/registry.git");
    }
    c->registries_line = ydoc_line(v);
    for (size_t i = 0; i < c->n_registries; i++) {
        if (strcmp(c->registries[i], "default") == 0) {
            return ydoc_fail(d, v, e, "'%s[%zu]': the default registry is always used", where, i);
        }
        if (!path_is_url(c->registries[i])) {
            char *abs = resolve_path(d->path, c->registries[i]);
            free(c->registries[i]);
            c->registries[i] = abs;
        }
    }
    return 0;
}

static void free_mirrors(struct config *c)
{
    strv_free(c->registries, c->n_registries);
    c->registries = NULL;
    c->n_registries = 0;
    for (size_t i = 0; i < c->n_mirrors; i++) {
        free(c->mirrors[i].prefix);
        free(c->mirrors[i].target);
    }
    free(c->mirrors);
    c->mirrors = NULL;
    c->n_mirrors = 0;
}

int config_parse(struct config *c, const char *path, const char *text, size_t len, struct err *e)
{
    static const struct ydoc_field fields[] = {{"mirrors", false, read_mirrors},
                                               {"registries", false, read_registries}};
    struct ydoc d;
    c->mirrors = NULL;
    c->n_mirrors = 0;
    c->registries = NULL;
    c->n_registries = 0;
    if (ydoc_load(&d, path, text, len, e) != 0) {
        return -1;
    }
    yaml_node_t *root = ydoc_root(&d);
    int rc = root == NULL || ydoc_is_null(root) ? 0 : ydoc_walk(&d, root, "", fields, 2, c, e);
    ydoc_free(&d);
    if (rc != 0) {
        free_mirrors(c);
    }
    return rc;
}

int config_load(struct config *c, struct err *e)
{
    memset(c, 0, sizeof(*c));
    c->path = sdk_config_file(&c->from_env, e);
    if (c->path == NULL) {
        return -1;
    }
    c->exists = path_exists(c->path);
    if (!c->exists) {
        if (!c->from_env) {
            return 0;
        }
        err_set(e, "CMRX_CONFIG names %s, which does not exist", c->path);
        return err_hint(e, "create the file, or unset CMRX_CONFIG to use your own configuration");
    }
    char *text;
    size_t len;
    if (read_file(c->path, &text, &len, e) != 0) {
        return err_hint(e, c->from_env
                               ? "CMRX_CONFIG names it: point it at a readable YAML file, or "
                                 "unset it to use your own configuration"
                               : "make it a readable YAML file (docs/registry.md, Mirrors), or "
                                 "remove it");
    }
    int rc = config_parse(c, c->path, text, len, e);
    free(text);
    return rc;
}

void config_free(struct config *c)
{
    free_mirrors(c);
    free(c->path);
    memset(c, 0, sizeof(*c));
}

const struct config_mirror *config_mirror_for(const struct config *c, const char *url)
{
    const struct config_mirror *best = NULL;
    size_t best_len = 0;
    for (size_t i = 0; i < c->n_mirrors; i++) {
        const char *k = c->mirrors[i].prefix;
        size_t n = strlen(k);
        /* A whole URL, or a prefix ending at a boundary: "https://host/org"
         * maps ".../org/x.git" but not ".../organisation/x.git". */
        if (n > best_len && strncmp(url, k, n) == 0 &&
            (url[n] == '\0' || url[n] == '/' || k[n - 1] == '/' || k[n - 1] == ':')) {
            best = &c->mirrors[i];
            best_len = n;
        }
    }
    return best;
}

char *config_mirror_url(const struct config_mirror *m, const char *url)
{
    const char *rest = url + strlen(m->prefix);
    while (*rest == '/') {
        rest++;
    }
    if (*rest == '\0') {
        return xstrdup(m->target);
    }
    size_t n = strlen(m->target);
    while (n > 1 && m->target[n - 1] == '/') {
        n--;
    }
    return xasprintf("%.*s/%s", (int)n, m->target, rest);
}

int config_mirror_check(const struct config *c, const struct config_mirror *m, const char *url,
                        const char *mirror, struct err *e)
{
    git_repository *r = NULL;
    const char *problem = NULL;
    if (!path_exists(mirror)) {
        problem = "does not exist";
    } else if (git_repository_open_ext(&r, mirror, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) != 0) {
        problem = "is not a git repository";
    }
    git_repository_free(r);
    if (problem == NULL) {
        return 0;
    }
    err_set(e, "the mirror of %s is %s, which %s (%s:%lu, key '%s' of 'mirrors')", url, mirror,
            problem, c->path, m->line, m->prefix);
    return err_hint(e,
                    "make the mirror there (`git clone --mirror %s %s` on a machine with the "
                    "network), correct the path in %s, or remove the key to fetch from %s itself",
                    url, mirror, c->path, url);
}
