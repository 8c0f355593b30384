/* Semantic versions (semver.org 2.0.0) and version constraints.
 *
 * Constraint syntax (comparators in a set are ANDed, sets joined by || are
 * ORed):
 *   1.2.3   =1.2.3    exactly that version
 *   1.2  1.2.x        >=1.2.0, <1.3.0            1  1.x  1.*   >=1.0.0, <2.0.0
 *   ^1.2.3            >=1.2.3, <2.0.0 (^0.2.3: <0.3.0; ^0.0.3: <0.0.4)
 *   ~1.2.3            >=1.2.3, <1.3.0            ~1  >=1.0.0, <2.0.0
 *   >=1.2  >1.2  <2  <=1.4   comparisons (partial versions are filled in)
 *   >=1.2, <2.0  or  >=1.2 <2.0   a range
 *   1.2 - 1.4         >=1.2.0, <1.5.0 (inclusive range)
 *   *                 any release
 * A pre-release (1.0.0-rc.1) matches only a set that names a pre-release of
 * the same major.minor.patch, so ^1.0 never picks up 2.0.0-beta.
 */
#ifndef CMRX_CLI_SEMVER_H
#define CMRX_CLI_SEMVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "yamldoc.h"

#define SEMVER_MAX_PART 64

struct semver {
    uint32_t major, minor, patch;
    char pre[SEMVER_MAX_PART];   /**< pre-release, without the '-'; "" if none */
    char build[SEMVER_MAX_PART]; /**< build metadata, without the '+'; ignored in comparisons */
};

enum semver_op { SEMVER_EQ, SEMVER_GT, SEMVER_GE, SEMVER_LT, SEMVER_LE };

struct semver_cmp {
    enum semver_op op;
    struct semver v;
};

#define CONSTRAINT_MAX_CMP 8
#define CONSTRAINT_MAX_ALT 4

/** Comparators that must all hold; an empty set matches every release. */
struct constraint_set {
    struct semver_cmp cmp[CONSTRAINT_MAX_CMP];
    size_t n;
};

struct constraint {
    struct constraint_set alt[CONSTRAINT_MAX_ALT]; /**< alternatives (||) */
    size_t n_alt;
    char text[128]; /**< the constraint as written, trimmed */
};

/**
 * Parse a full version "MAJOR.MINOR.PATCH[-PRE][+BUILD]" (no leading 'v',
 * no leading zeros).
 * @return 0, or -1 with the reason (no file name: the caller adds it).
 */
int semver_parse(const char *s, struct semver *out, struct err *e);

/** Order by semver precedence (build metadata ignored). @return <0, 0 or >0. */
int semver_compare(const struct semver *a, const struct semver *b);

/** Write @p v as text ("1.2.3-rc.1+b5"). */
void semver_format(const struct semver *v, char *buf, size_t len);

/**
 * Parse a constraint (syntax above).
 * @return 0, or -1 with the reason (no file name: the caller adds it).
 */
int constraint_parse(const char *s, struct constraint *out, struct err *e);

/**
 * Read the constraint at node @p v of a cmrx.yaml or registry index
 * ('@p where' names it): into a new *@p text if @p text is not NULL, parsed
 * into *@p c if @p c is not NULL. @return 0, or -1 with file:line, the key
 * and examples.
 */
int constraint_read(struct ydoc *d, yaml_node_t *v, const char *where, char **text,
                    struct constraint *c, struct err *e);

/** @return whether version @p v satisfies @p c. */
bool constraint_match(const struct constraint *c, const struct semver *v);

#endif
