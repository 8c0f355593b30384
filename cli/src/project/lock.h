/* cmrx.lock: what was resolved for the project, package by package: exact
 * version, git URL, tag or branch it came from, exact commit, subdir and
 * content checksum (see checksum.h). Written by cmrx, read back by
 * `cmrx fetch` to rebuild packages/ exactly. Schema in docs/project-files.md. */
#ifndef CMRX_CLI_LOCK_H
#define CMRX_CLI_LOCK_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "registry.h"

#define LOCK_FORMAT 1

struct lock_pkg {
    char *name;
    enum pkg_kind kind;
    char *version;
    char *git;    /**< as in the index: "." means the registry's repository */
    char *tag;    /**< the tag the commit was resolved from, if any */
    char *branch; /**< or the branch it followed, if any */
    char *commit;
    char *subdir; /**< NULL: the repository root */
    char *checksum;
    unsigned long line;
};

struct lock {
    const char *path;
    char *registry; /**< registry location used ("default": this SDK) */
    struct lock_pkg *pkgs;
    size_t n;
};

/**
 * Parse and validate a lock file. Names, subdirs, commit ids and checksums
 * are checked, so a tampered lock cannot make cmrx write outside packages/.
 * @return 0, or -1 with a message naming file and line.
 */
int lock_parse(const char *path, const char *text, size_t len, struct lock *l, struct err *e);

/** Emit @p l (packages sorted by name) with a header comment. @return 0 or -1. */
int lock_emit(const struct lock *l, char **out, size_t *len, struct err *e);

/** Free a lock. */
void lock_free(struct lock *l);

/** @return the locked package @p name, or NULL. */
const struct lock_pkg *lock_find(const struct lock *l, const char *name);

/** @return a deep copy of @p l. */
struct lock lock_copy(const struct lock *l);

/** Deep copy of @p src into @p dst. */
void lock_pkg_copy(struct lock_pkg *dst, const struct lock_pkg *src);

/** Whether two entries lock the same thing (line ignored). */
bool lock_pkg_equal(const struct lock_pkg *a, const struct lock_pkg *b);

#endif
