/* The registry index (index.json): every package (kernel, BSPs, components,
 * templates) with its versions, where each version's sources are (git URL,
 * tag/branch/commit, subdir), its checksum and its requirements. Schema in
 * docs/registry.md. The index is validated completely when loaded. */
#ifndef CMRX_CLI_REGISTRY_H
#define CMRX_CLI_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "semver.h"

struct fetcher;

/* KIND_LIBRARY: source code other packages build from (lwIP, littlefs), no processes of its own. */
enum pkg_kind { KIND_KERNEL, KIND_BSP, KIND_COMPONENT, KIND_TEMPLATE, KIND_LIBRARY };

struct reg_dep {
    char *name;
    struct constraint c; /**< c.text holds the constraint as written */
};

struct reg_package;

/** One registry of a stack: where it is and what its "." means. */
struct reg_source {
    char *location;   /**< "default", an absolute folder/file path, a git URL, or cmrx.yaml */
    char *index_name; /**< the index file, as named in messages */
    char *self_git;   /**< where "." is fetched from here; NULL if not in a git repository */
    char *repository; /**< the canonical URL of that repository (the index's "repository") */
};

struct reg_version {
    struct semver v;
    char *version;  /**< as written */
    char *git;      /**< URL, absolute path, or "." (the registry's repository) */
    char *tag;      /**< tag to resolve; default: the version (when no branch/commit) */
    char *branch;   /**< branch to follow ("HEAD": the remote's HEAD) */
    char *commit;   /**< exact commit id, if pinned by the index */
    char *subdir;   /**< folder of the package in the repository; NULL: the root */
    char *checksum; /**< tree id of the package folder, if given */
    bool has_kernel;
    struct constraint kernel; /**< requires.kernel */
    char **cpus;              /**< requires.cpus; none: any CPU */
    size_t n_cpus;
    char **periphs; /**< requires.peripherals: NAME, NAME:DRIVER|..., or *:DRIVER|... */
    size_t n_periphs;
    struct reg_dep *deps; /**< requires.dependencies */
    size_t n_deps;
    char *cpu;   /**< bsp: the board's CPU */
    char *qemu;  /**< bsp: QEMU machine, if emulated */
    char *pyocd; /**< bsp: pyOCD target, if flashable */
    const struct reg_package *pkg;
};

struct reg_package {
    char *name;
    enum pkg_kind kind;
    char *description;
    char *license;                /**< optional */
    char *homepage;               /**< optional */
    struct reg_version *versions; /**< newest first */
    size_t n_versions;
    const struct reg_source *src; /**< the registry that lists it */
};

/** A package a later registry of the stack lists too, and does not serve. */
struct reg_shadow {
    char *name;
    const struct reg_source *kept;    /**< the registry it comes from */
    const struct reg_source *ignored; /**< the one whose entry is not used */
};

/**
 * A registry, or a stack of them (registry_stack()): the first one's
 * location, index and "." are the fields below; every package knows its own
 * registry (src).
 */
struct registry {
    char *location;   /**< "default", an absolute folder/file path, or a git URL */
    char *index_name; /**< the index file, as named in messages */
    char *self_git;   /**< what "." means; NULL if the index is not in a git repository */
    char *repository; /**< the index's "repository": the canonical URL of its "." */
    struct reg_package *pkgs;
    size_t n_pkgs;
    struct reg_source **srcs; /**< the registries of the stack, first = the base */
    size_t n_srcs;
    struct reg_shadow *shadows;
    size_t n_shadows;
};

/** @return the kind's name, as pkg_kind_list() lists them. */
const char *pkg_kind_name(enum pkg_kind k);

/** Parse a kind name. @return 0 or -1. */
int pkg_kind_parse(const char *s, enum pkg_kind *out);

/** @return the kinds, as messages list them: "kernel, bsp, ... or library". */
const char *pkg_kind_list(void);

/** Whether a package of kind @p k can be a dependency (a component or a library). */
bool pkg_kind_is_dependency(enum pkg_kind k);

/**
 * Whether @p g can be a package's git location: "." (the registry's own
 * repository), an absolute path, a URL (scheme://...) or user@host:path.
 * Relative paths are refused: they would depend on the current folder.
 */
bool git_location_valid(const char *g);

/**
 * The rules of a package's source, the same for the registry index and
 * cmrx.lock: a valid git location, a tag or a branch (not both) with valid
 * names, 40-digit commit and checksum, a subdir inside the repository.
 * @return whether one is broken, saying which in @p why.
 */
bool source_problem(const char *git, const char *tag, const char *branch, const char *commit,
                    const char *subdir, const char *checksum, char *why, size_t n);

/**
 * Where the registry is: @p flag (--registry) if given, else $CMRX_REGISTRY,
 * else @p fallback (e.g. the lock file's), else "default" (this SDK).
 * @return a new string.
 */
char *registry_choose(const char *flag, const char *fallback);

/**
 * Parse and validate index JSON @p json (named @p index_name in messages).
 * Malformed JSON names line and column; invalid content names the key
 * path (e.g. packages[2].versions[0].git) and the package.
 * @return 0, or -1 with a message.
 */
int registry_parse(const char *index_name, const char *json, size_t len, struct registry *r,
                   struct err *e);

/**
 * Load the registry at @p location ("default": this SDK's registry/index.json;
 * a folder holding index.json or registry/index.json; an index file; or a
 * git URL, read through the cache). A git URL is refreshed from the remote
 * unless the fetcher is offline.
 * @return 0, or -1 with a message.
 */
int registry_open(const char *location, struct fetcher *f, struct registry *r, struct err *e);

/**
 * Where to fetch version @p v from on this machine: "." becomes the folder
 * (or URL) of its registry's repository. @return a new string, or NULL.
 */
char *registry_git_url(const struct reg_version *v, struct err *e);

/**
 * The URL cmrx.lock records for version @p v: "." becomes its registry's
 * canonical "repository" when the index names one (so the lock travels),
 * else where that repository is. @return a new string, or NULL.
 */
char *registry_lock_url(const struct reg_version *v, struct err *e);

/**
 * Stack registry @p add on @p base: its packages join those of @p base,
 * except names @p base already lists (the first registry wins; each such
 * name is recorded in base->shadows). @p add is emptied (and freed).
 */
void registry_stack(struct registry *base, struct registry *add);

/**
 * Add a package straight from a git repository (a cmrx.yaml dependency
 * {git: URL, tag|branch|rev}), as a component with one version: the tag
 * when it is a semantic version (a leading 'v' dropped), else 0.0.0. It
 * takes the place of a registry's package of that name. Nothing is done if
 * the same source is there already. @return its one version.
 */
const struct reg_version *registry_add_git(struct registry *r, const char *origin, const char *name,
                                           const char *git, const char *tag, const char *branch,
                                           const char *rev, const char *subdir);

/**
 * Check that every dependency named by a version of the stack is a
 * component some registry of it lists. @return 0, or -1 with a message.
 */
int registry_check_links(const struct registry *r, struct err *e);

struct bsp;

/**
 * Whether board @p b has the peripherals version @p v requires
 * (requires.peripherals). @return true, or false saying what is missing in
 * @p why ("peripheral 'timer0' driven by cmsdk-timer/stm32-tim, which board
 * X does not have").
 */
bool registry_board_fits(const struct reg_version *v, const struct bsp *b, char *why, size_t n);

/** The shadow record of package @p name, or NULL if one registry lists it. */
const struct reg_shadow *registry_shadow(const struct registry *r, const char *name);

/**
 * What "." means for a registry at @p location without loading its index
 * (used by `cmrx fetch`). @return a new string, or NULL with a message.
 */
char *registry_self_git(const char *location, struct err *e);

/** Free a loaded registry. */
void registry_free(struct registry *r);

/** @return the package @p name, or NULL. */
const struct reg_package *registry_find(const struct registry *r, const char *name);

/**
 * The package @p name of kind @p kind (a board, a template).
 * @return it, or NULL with a usage error listing the packages of that kind.
 */
const struct reg_package *registry_find_kind(const struct registry *r, const char *name,
                                             enum pkg_kind kind, struct err *e);

/**
 * The board @p name that @p origin names ("cmrx.yaml:5"): as
 * registry_find_kind(), with @p origin before the message, which is not a
 * usage error (the file is wrong). @return it, or NULL with a message.
 */
const struct reg_package *registry_find_board(const struct registry *r, const char *name,
                                              const char *origin, struct err *e);

/** Names of packages similar to @p name (sharing a substring), for hints; a new string or NULL. */
char *registry_suggest(const struct registry *r, const char *name);

#endif
