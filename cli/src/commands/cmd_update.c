/* cmrx update [PKG...]: move packages to the newest versions cmrx.yaml
 * allows. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "session.h"

static int run_update(const struct cli *c, struct err *e)
{
    struct session s = {0};
    struct lock planned = {0};
    int rc = session_project(&s, c, e);
    for (size_t i = 0; rc == 0 && i < c->n_args; i++) {
        if (lock_find(&s.p.lock, c->args[i]) == NULL) {
            rc = err_set(e, "'%s' is not in cmrx.lock, so there is nothing to update", c->args[i]);
            err_hint(e, "`cmrx add %s` adds it as a dependency", c->args[i]);
        }
    }
    if (rc == 0) {
        rc = session_registry(&s, c, e);
    }
    if (rc == 0) {
        struct lock_opts po = {
            .old = &s.p.lock,
            .unlock = (const char *const *)c->args,
            .n_unlock = c->n_args,
            .unlock_all = c->n_args == 0,
        };
        rc = session_lock(&s, &s.p.m, &po, &planned, e);
    }
    if (rc == 0) {
        rc = session_commit(&s, NULL, 0, &planned, false, e);
    }
    lock_free(&planned);
    session_end(&s);
    return rc ? -1 : 0;
}

const struct command cmd_update = {
    .name = "update",
    .args = "[PKG...]",
    .summary = "move packages to the newest versions cmrx.yaml allows",
    .help = "Resolves cmrx.yaml again and rewrites cmrx.lock and packages/. Without\n"
            "arguments every package may move to the newest version its constraints allow\n"
            "(and packages that follow a branch move to its newest commit); with arguments\n"
            "only those packages move. Also run it after editing cmrx.yaml by hand. A tag\n"
            "that now names another commit than the one locked is an error.\n",
    .opts = OPT_OFFLINE | OPT_REGISTRY | OPT_DIR,
    .max_args = 64,
    .run = run_update,
};
