/* Version resolution: choose one version of every package the project
 * needs (board, kernel, dependencies and their dependencies) so that every
 * constraint holds, every package supports the board's CPU, and versions
 * already locked are kept unless asked to move. Newest versions are tried
 * first; on a dead end the resolver backtracks. When nothing works the
 * error names the package and the requirements that cannot be met
 * together, with who asked for each. */
#ifndef CMRX_CLI_RESOLVE_H
#define CMRX_CLI_RESOLVE_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "lock.h"
#include "registry.h"

/** A requirement from the project itself. */
struct resolve_req {
    const char *name;
    const char *constraint; /**< text; NULL: any release */
    const char *origin;     /**< who asks, e.g. "cmrx.yaml:7" */
};

struct resolve_opts {
    const struct registry *reg;
    const char *board; /**< the bsp package name */
    const char *board_origin;
    const struct resolve_req *roots; /**< kernel and dependencies */
    size_t n_roots;
    const struct lock *prefer; /**< keep these versions when possible (may be NULL) */
    const char *const *unlock; /**< ...except for these packages */
    size_t n_unlock;
    bool unlock_all; /**< ...or for all packages */
};

struct resolution {
    const struct reg_version **chosen; /**< one per package, sorted by name */
    size_t n;
};

/**
 * Resolve. Unknown packages, no matching version, conflicting constraints
 * and CPU mismatches are errors that say which packages are involved.
 * @return 0, or -1 with a message.
 */
int resolve(const struct resolve_opts *o, struct resolution *out, struct err *e);

/** Free a resolution (not the versions it points to). */
void resolution_free(struct resolution *r);

#endif
