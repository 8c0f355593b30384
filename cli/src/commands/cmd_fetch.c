/* cmrx fetch: make packages/ exactly what cmrx.lock says. */
#include "cli.h"
#include "session.h"
#include "sync.h"
#include "ui.h"

static int run_fetch(const struct cli *c, struct err *e)
{
    struct session s = {0};
    struct sync_stats st = {0};
    int rc = session_project(&s, c, e) || project_lock_matches(&s.p, e) ||
             session_fetch(&s, c, true, &st, e);
    if (rc == 0) {
        ui_status("Verified",
                  "packages/ matches cmrx.lock (%zu packages, %zu unpacked, %zu "
                  "removed)",
                  s.p.lock.n, st.staged, st.removed);
    }
    session_end(&s);
    return rc ? -1 : 0;
}

const struct command cmd_fetch = {
    .name = "fetch",
    .args = "",
    .summary = "make packages/ exactly what cmrx.lock says",
    .help = "Checks every package folder against the checksum in cmrx.lock and rewrites the\n"
            "ones that differ or are missing from the exact locked commit, via the cache\n"
            "(fetching only commits the cache lacks); removes anything else from packages/.\n"
            "cmrx.yaml and cmrx.lock are never changed. A tag that now names another commit,\n"
            "a missing commit or a checksum mismatch stops it with the project unchanged.\n"
            "With --offline only the cache is used.\n",
    .opts = OPT_OFFLINE | OPT_REGISTRY | OPT_DIR,
    .run = run_fetch,
};
