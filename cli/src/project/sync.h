/* Bring a project to a new state in one transaction (txn.h): cmrx.yaml
 * (if it changes), cmrx.lock, and packages/ holding exactly the locked
 * packages. Packages whose folder already hashes to the locked checksum are
 * left alone; others are staged from the cache; anything else in packages/
 * is removed. */
#ifndef CMRX_CLI_SYNC_H
#define CMRX_CLI_SYNC_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "lock.h"
#include "project.h"
#include "registry.h"

struct fetcher;

struct sync_opts {
    const char *yaml; /**< new text of cmrx.yaml; NULL: unchanged */
    size_t yaml_len;
    const struct lock *lock;    /**< the complete new lock */
    const char *self_git;       /**< what "." means (may be NULL if unused) */
    const struct registry *reg; /**< to check boards' CPUs (may be NULL) */
    bool keep_lock;             /**< never rewrite cmrx.lock (`cmrx fetch`) */
    bool verbose;               /**< print each package unpacked (`cmrx fetch`) */
};

struct sync_stats {
    size_t staged;  /**< packages written */
    size_t removed; /**< folders removed from packages/ */
    size_t kept;    /**< packages already intact */
};

/**
 * Apply @p o to project @p p (opened, so its lock is held).
 * @return 0, or -1 with the project unchanged.
 */
int sync_project(struct project *p, struct fetcher *f, const struct sync_opts *o,
                 struct sync_stats *st, struct err *e);

/** @return the CPU the registry gives board version @p p (NULL if unknown). */
const char *sync_expected_cpu(const struct registry *reg, const struct lock_pkg *p);

#endif
