/* The user's cmrx configuration: one YAML file per user, not per project,
 * the one sdk_config_file() names ($CMRX_CONFIG, else
 * ~/.config/cmrx/config.yaml). A missing file is an empty configuration.
 *
 * `registries` lists registries stacked on the default one for every
 * project of this user (docs/registry.md, Registries that stack).
 * `mirrors` maps upstream git URLs to local
 * mirrors (a folder or another URL), as git's url.<base>.insteadOf and
 * Cargo's source replacement do. The mapping applies only where cmrx
 * contacts a git remote; cmrx.yaml, cmrx.lock and the cache keep the
 * upstream URL. */
#ifndef CMRX_CLI_CONFIG_H
#define CMRX_CLI_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

/** One entry of `mirrors`. */
struct config_mirror {
    char *prefix;       /**< the key: an upstream URL, or a prefix of URLs */
    char *target;       /**< the mirror: an absolute path (local) or a URL */
    bool local;         /**< target is a folder on this machine */
    unsigned long line; /**< the key's line in the file */
};

struct config {
    char *path;    /**< the file that was (or would be) read */
    bool exists;   /**< whether the file exists */
    bool from_env; /**< path came from $CMRX_CONFIG */
    struct config_mirror *mirrors;
    size_t n_mirrors;
    char **registries; /**< registries stacked after the project's, paths made absolute */
    size_t n_registries;
    unsigned long registries_line;
};

/**
 * Find the configuration file (sdk_config_file()) and read it. A missing default
 * file gives an empty configuration; a $CMRX_CONFIG naming a missing file
 * is an error. Malformed YAML, unknown keys and wrong types are errors
 * naming file:line.
 * @return 0, or -1 with @p c empty (its path still set when known).
 */
int config_load(struct config *c, struct err *e);

/**
 * Parse @p len bytes of @p text as the configuration file @p path (used to
 * name it in messages and to resolve relative mirror paths against its
 * folder). Fills @p c except path, exists and from_env.
 * @return 0, or -1 with a message naming path:line.
 */
int config_parse(struct config *c, const char *path, const char *text, size_t len, struct err *e);

/** Free what config_load() or config_parse() filled. */
void config_free(struct config *c);

/**
 * The entry that maps @p url: its key equals @p url, or is a prefix of it
 * that ends at a '/' or ':' (of the key or of @p url). The longest key wins.
 * @return the entry, or NULL when @p url is fetched from where it says.
 */
const struct config_mirror *config_mirror_for(const struct config *c, const char *url);

/**
 * Where to fetch @p url from with entry @p m: the target, followed by the
 * rest of @p url after the key (joined by exactly one '/').
 * @return a new string.
 */
char *config_mirror_url(const struct config_mirror *m, const char *url);

/**
 * Check a local mirror @p mirror (from config_mirror_url()) that entry @p m
 * gives for @p url: it must exist and be a git repository (bare or not).
 * Remote mirrors are not checked here. The message names the file, line and
 * key, and says what to do.
 * @return 0 or -1.
 */
int config_mirror_check(const struct config *c, const struct config_mirror *m, const char *url,
                        const char *mirror, struct err *e);

#endif
