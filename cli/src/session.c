#include "session.h"

#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "plan.h"
#include "sync.h"
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

int session_fetcher(struct session *s, const struct cli *c, struct err *e)
{
    return s->f != NULL ? 0 : fetcher_open(&s->f, c->offline, e);
}

int session_registry(struct session *s, const struct cli *c, struct err *e)
{
    if (session_fetcher(s, c, e) != 0) {
        return -1;
    }
    char *loc = registry_choose(c->registry, s->has_project ? s->p.lock.registry : NULL);
    int rc = registry_open(loc, s->f, &s->reg, e);
    free(loc);
    s->has_reg = rc == 0;
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
    size_t changes = plan_report(&s->p.lock, lock);
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
        /* "." is the repository of the registry the lock was made with. */
        char *loc = registry_choose(c->registry, s->p.lock.registry);
        self = registry_self_git(loc, e);
        rc = self == NULL ? -1 : 0;
        free(loc);
    }
    if (rc == 0) {
        struct sync_opts so = {
            .lock = &s->p.lock, .self_git = self, .keep_lock = true, .verbose = verbose};
        rc = sync_project(&s->p, s->f, &so, st, e);
    }
    free(self);
    return rc ? -1 : 0;
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
