/* From cmrx.yaml to cmrx.lock: build the requirements of a manifest
 * (board, kernel, dependencies), resolve them against the registry and pin
 * each chosen version to an exact commit. */
#ifndef CMRX_CLI_PLAN_H
#define CMRX_CLI_PLAN_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "lock.h"
#include "manifest.h"
#include "registry.h"

struct fetcher;

struct plan_opts {
    const struct lock *old; /**< current lock: its versions are kept when possible (may be NULL) */
    const char *const *unlock; /**< packages allowed to move */
    size_t n_unlock;
    bool unlock_all; /**< every package may move (`cmrx update`) */
};

/**
 * Resolve @p m against @p reg and pin the result.
 * Dependencies that are not components are errors naming their line.
 * @return 0 with the new lock in @p out, or -1.
 */
int plan_lock(const struct manifest *m, const struct registry *reg, struct fetcher *f,
              const struct plan_opts *o, struct lock *out, struct err *e);

/** Print what changes between two locks ("Adding x 1.0.0", "Updating ..."). @return changes. */
size_t plan_report(const struct lock *old, const struct lock *updated);

#endif
