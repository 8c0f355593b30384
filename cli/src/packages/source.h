/* Package sources: from a registry version to an exact lock entry
 * (pinning), and from a lock entry to files on disk (materializing), with
 * every check that makes the result trustworthy: the tag still names the
 * locked commit, the commit's folder has the locked checksum, the files
 * written hash back to it, and a board's bsp.yaml is valid for its CPU. */
#ifndef CMRX_CLI_SOURCE_H
#define CMRX_CLI_SOURCE_H

#include <stdbool.h>

#include "err.h"
#include "lock.h"
#include "registry.h"
#include "resolve.h"

struct fetcher;

/**
 * Turn a resolution into lock entries. A package locked at the same
 * version and not unlocked keeps its entry untouched (no network). Others
 * are fetched: the tag or branch is resolved to a commit, checked against a
 * commit pinned by the index or by the old lock (a moved tag is an error),
 * and the folder's tree id is checked against the index checksum.
 * @return 0 with @p out filled (registry = reg->location), or -1.
 */
int source_pin(const struct registry *reg, const struct resolution *res, const struct lock *old,
               const struct resolve_opts *ro, struct fetcher *f, struct lock *out, struct err *e);

/**
 * Write the files of locked package @p p into @p dest (absolute, must not
 * exist), from the cache, fetching when the commit is missing (unless
 * offline). @p self_git is what "." means. @p expect_cpu: for a board, the
 * CPU the registry gives it (may be NULL).
 * @return 0, or -1 with a message naming the package.
 */
int source_materialize(struct fetcher *f, const char *self_git, const struct lock_pkg *p,
                       const char *dest, const char *expect_cpu, struct err *e);

/**
 * Read file @p rel (inside the package) of locked package @p p at its
 * commit, without writing anything: the commit must be in the cache, as it
 * is after source_pin().
 * @return 0 with a new *data, 1 if the package has no such file, or -1.
 */
int source_read(struct fetcher *f, const char *self_git, const struct lock_pkg *p, const char *rel,
                char **data, size_t *len, struct err *e);

/**
 * Read file @p rel (inside the package) of registry version @p v as this
 * machine already has it, without fetching (see fetch_peek()).
 * @return 0 with *data (NULL if the package has no such file), 1 if its
 * repository or commit is not on this machine, or -1.
 */
int source_peek(struct fetcher *f, const struct reg_version *v, const char *rel, char **data,
                size_t *len, struct err *e);

/**
 * Whether folder @p dir holds exactly package @p p (its tree id equals the
 * locked checksum). A missing folder is simply not intact.
 */
bool source_intact(const char *dir, const struct lock_pkg *p);

#endif
