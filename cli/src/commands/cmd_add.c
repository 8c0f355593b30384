/* cmrx add PKG[@CONSTRAINT]...: add dependencies (or change their
 * constraints), resolve, fetch, and write cmrx.yaml, cmrx.lock and
 * packages/ together. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fsutil.h"
#include "semver.h"
#include "session.h"

struct request {
    char *name;
    char *constraint; /* NULL: "^" + the version chosen */
};

static int parse_request(const char *arg, const struct registry *reg, struct request *r,
                         struct err *e)
{
    const char *at = strchr(arg, '@');
    r->name = at ? xasprintf("%.*s", (int)(at - arg), arg) : xstrdup(arg);
    r->constraint = at ? xstrdup(at + 1) : NULL;
    struct constraint c;
    if (!name_is_valid(r->name)) {
        err_usage(e,
                  "'%s' is not a package name (lower case letters, digits, '-', '_', '.'; no "
                  "'/' or '..')",
                  r->name);
        return -1;
    }
    if (r->constraint != NULL && constraint_parse(r->constraint, &c, e) != 0) {
        err_prefix(e, "'%s': invalid version constraint '%s': ", arg, r->constraint);
        e->usage = true;
        return err_hint(e, "examples: %s@^1.2, %s@~1.2.3, '%s@>=1.0, <2.0', %s@1.4.2", r->name,
                        r->name, r->name, r->name);
    }
    const struct reg_package *p = registry_find(reg, r->name);
    if (p == NULL) {
        char *sim = registry_suggest(reg, r->name);
        char *where = NULL;
        for (size_t i = 0; i < reg->n_srcs; i++) {
            list_add(&where, reg->srcs[i]->index_name);
        }
        err_set(e, "unknown package '%s': no registry of the stack lists it (%s)", r->name,
                where != NULL ? where : reg->index_name);
        free(where);
        if (sim != NULL) {
            err_hint(e, "similar names: %s; `cmrx search` lists every package", sim);
        } else {
            err_hint(e, "`cmrx search` lists every package; --registry chooses another registry");
        }
        free(sim);
        return -1;
    }
    if (p->kind == KIND_BSP) {
        err_set(e, "'%s' is a board, not a component", r->name);
        return err_hint(e, "change 'board:' in cmrx.yaml and run `cmrx update`");
    }
    if (p->kind == KIND_TEMPLATE) {
        err_set(e, "'%s' is a project template, not a component", r->name);
        return err_hint(e, "templates are used by `cmrx new NAME --template %s`", r->name);
    }
    return 0;
}

/* The registry --registry names, as cmrx.yaml should list it, or NULL when
 * the project needs no new entry (none given, the default, or listed). */
static char *registry_to_list(const struct session *s, const struct cli *c)
{
    if (c->registry == NULL || *c->registry == '\0') {
        return NULL;
    }
    char *loc = path_is_url(c->registry) ? xstrdup(c->registry) : path_absolute(c->registry);
    bool listed = str_equal(loc, s->reg.location);
    for (size_t i = 0; !listed && i < s->p.m.n_registries; i++) {
        char *k = path_is_url(s->p.m.registries[i]) ? xstrdup(s->p.m.registries[i])
                                                    : path_absolute(s->p.m.registries[i]);
        listed = strcmp(k, loc) == 0;
        free(k);
    }
    if (listed) {
        free(loc);
        return NULL;
    }
    return loc;
}

static int edit_all(const struct session *s, const struct cli *cl, const struct request *req,
                    size_t n, const struct lock *chosen, char **out, size_t *len, bool *lost,
                    struct err *e)
{
    char *text = xmemdup(s->p.yaml, s->p.yaml_len);
    size_t tlen = s->p.yaml_len;
    *lost = false;
    char *reg = registry_to_list(s, cl);
    if (reg != NULL) {
        /* A registry adds to the project's stack; the project remembers it. */
        struct manifest_edit ed = {EDIT_ADD_REGISTRY, reg, NULL};
        char *next;
        size_t nlen;
        int rc = manifest_edit("cmrx.yaml", text, tlen, &ed, &next, &nlen, lost, e);
        free(text);
        free(reg);
        if (rc != 0) {
            return -1;
        }
        text = next;
        tlen = nlen;
    }
    for (size_t i = 0; i < n; i++) {
        char *c = req[i].constraint ? xstrdup(req[i].constraint) : xstrdup("*");
        const struct lock_pkg *lp = chosen ? lock_find(chosen, req[i].name) : NULL;
        if (req[i].constraint == NULL && lp != NULL) {
            free(c);
            c = xasprintf("^%s", lp->version);
        }
        bool is_kernel = strcmp(req[i].name, "kernel") == 0;
        struct manifest_edit ed = {is_kernel ? EDIT_SET_KERNEL : EDIT_SET_DEP, req[i].name, c};
        char *next;
        size_t nlen;
        bool l;
        int rc = manifest_edit("cmrx.yaml", text, tlen, &ed, &next, &nlen, &l, e);
        free(c);
        free(text);
        if (rc != 0) {
            return -1;
        }
        text = next;
        tlen = nlen;
        *lost = *lost || l;
    }
    *out = text;
    *len = tlen;
    return 0;
}

static int run_add(const struct cli *c, struct err *e)
{
    struct session s = {0};
    struct request *req = xcalloc(c->n_args, sizeof(*req));
    const char **names = xcalloc(c->n_args, sizeof(char *));
    char *yaml = NULL;
    size_t yaml_len = 0;
    bool lost = false;
    struct manifest m = {0};
    struct lock planned = {0};
    int rc = session_project(&s, c, e) || session_registry(&s, c, e);
    for (size_t i = 0; rc == 0 && i < c->n_args; i++) {
        rc = parse_request(c->args[i], &s.reg, &req[i], e);
        names[i] = req[i].name;
    }
    /* Resolve with the constraints given (or any version), then write the
     * caret of the version chosen for those given without one. */
    if (rc == 0) {
        rc = edit_all(&s, c, req, c->n_args, NULL, &yaml, &yaml_len, &lost, e);
    }
    if (rc == 0) {
        rc = manifest_parse("cmrx.yaml", yaml, yaml_len, &m, e);
    }
    if (rc == 0) {
        struct lock_opts po = {.old = &s.p.lock, .unlock = names, .n_unlock = c->n_args};
        rc = session_lock(&s, &m, &po, &planned, e);
    }
    if (rc == 0) {
        free(yaml);
        rc = edit_all(&s, c, req, c->n_args, &planned, &yaml, &yaml_len, &lost, e);
    }
    for (size_t i = 0; rc == 0 && i < c->n_args; i++) {
        /* A package the board lacks the peripherals of is added all the same
         * (another board may have them), with a warning. */
        const struct lock_pkg *lp = lock_find(&planned, req[i].name);
        const struct reg_package *rp = registry_find(&s.reg, req[i].name);
        for (size_t j = 0; lp != NULL && rp != NULL && j < rp->n_versions; j++) {
            if (strcmp(rp->versions[j].version, lp->version) == 0) {
                const struct reg_version *v = &rp->versions[j];
                rc = session_check_board(&s, &planned, m.board, &v, 1, e);
            }
        }
    }
    if (rc == 0) {
        rc = session_commit(&s, yaml, yaml_len, &planned, lost, e);
    }
    manifest_free(&m);
    lock_free(&planned);
    free(yaml);
    for (size_t i = 0; i < c->n_args; i++) {
        free(req[i].name);
        free(req[i].constraint);
    }
    free(req);
    free(names);
    session_end(&s);
    return rc ? -1 : 0;
}

const struct command cmd_add = {
    .name = "add",
    .args = "PKG[@CONSTRAINT]...",
    .summary = "add dependencies to the project, resolve and fetch them",
    .help = "Adds each package to 'dependencies:' in cmrx.yaml (or changes its constraint),\n"
            "resolves every package again (keeping locked versions where possible), fetches\n"
            "what changed into packages/ and writes cmrx.lock. Without a constraint the\n"
            "newest compatible version is chosen and written as ^VERSION. 'kernel@C' sets the\n"
            "kernel constraint instead. Constraints: 1.2.3 (exact), ^1.2, ~1.2.3, >=1.0,\n"
            "<2.0, '>=1.0, <2.0', 1.2 - 1.4, *. --registry R stacks registry R on the default\n"
            "one and lists it under 'registries:' in cmrx.yaml. Nothing is changed if any\n"
            "step fails.\n",
    .opts = OPT_OFFLINE | OPT_REGISTRY | OPT_DIR,
    .min_args = 1,
    .max_args = 64,
    .run = run_add,
};
