/* cmrx remove PKG...: drop dependencies; packages nothing needs any more
 * leave cmrx.lock and packages/. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fsutil.h"
#include "session.h"

static int run_remove(const struct cli *c, struct err *e)
{
    struct session s = {0};
    char *yaml = NULL;
    size_t len = 0;
    bool lost = false;
    struct manifest m = {0};
    struct lock planned = {0};
    int rc = session_project(&s, c, e);
    if (rc == 0) {
        yaml = xmemdup(s.p.yaml, s.p.yaml_len);
        len = s.p.yaml_len;
    }
    for (size_t i = 0; rc == 0 && i < c->n_args; i++) {
        bool named_before = false; /* `cmrx remove comp comp`: removed once */
        for (size_t j = 0; j < i; j++) {
            named_before = named_before || strcmp(c->args[j], c->args[i]) == 0;
        }
        if (named_before) {
            continue;
        }
        if (manifest_dep(&s.p.m, c->args[i]) == NULL) {
            char *list = NULL;
            for (size_t j = 0; j < s.p.m.n_deps; j++) {
                list_add(&list, s.p.m.deps[j].name);
            }
            rc = err_set(e, "cmrx.yaml has no dependency '%s'", c->args[i]);
            err_hint(e, list ? "its dependencies are: %s" : "it has no dependencies%s",
                     list ? list : "");
            free(list);
            break;
        }
        struct manifest_edit ed = {EDIT_REMOVE_DEP, c->args[i], NULL};
        char *next;
        size_t nlen;
        bool l;
        rc = manifest_edit("cmrx.yaml", yaml, len, &ed, &next, &nlen, &l, e);
        if (rc == 0) {
            free(yaml);
            yaml = next;
            len = nlen;
            lost = lost || l;
        }
    }
    if (rc == 0) {
        rc = manifest_parse("cmrx.yaml", yaml, len, &m, e) || session_registry(&s, c, e);
    }
    if (rc == 0) {
        struct lock_opts po = {.old = &s.p.lock};
        rc = session_lock(&s, &m, &po, &planned, e);
    }
    if (rc == 0) {
        rc = session_commit(&s, yaml, len, &planned, lost, e);
    }
    manifest_free(&m);
    lock_free(&planned);
    free(yaml);
    session_end(&s);
    return rc ? -1 : 0;
}

const struct command cmd_remove = {
    .name = "remove",
    .args = "PKG...",
    .summary = "remove dependencies from the project",
    .help = "Removes each package from 'dependencies:' in cmrx.yaml, resolves again and\n"
            "drops from cmrx.lock and packages/ whatever nothing needs any more. Other\n"
            "packages keep their locked versions.\n",
    .opts = OPT_OFFLINE | OPT_REGISTRY | OPT_DIR,
    .min_args = 1,
    .max_args = 64,
    .run = run_remove,
};
