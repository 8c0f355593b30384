/* Where things are: the SDK checkout this cmrx belongs to, the cache, and
 * the user's configuration file. */
#ifndef CMRX_CLI_SDK_H
#define CMRX_CLI_SDK_H

#include <stdbool.h>

#include "err.h"

/**
 * The SDK checkout: $CMRX_SDK if set, else the source tree cmrx was built
 * from (compiled in). @return a new absolute path.
 */
char *sdk_dir(void);

/**
 * The cache folder: $XDG_CACHE_HOME/cmrx if XDG_CACHE_HOME is an absolute
 * path, else $HOME/.cache/cmrx.
 * @return a new path, or NULL with a message when neither is usable.
 */
char *sdk_cache_dir(struct err *e);

/**
 * The user's configuration file (config.h): $CMRX_CONFIG if set (then
 * *from_env is true), else $XDG_CONFIG_HOME/cmrx/config.yaml if
 * XDG_CONFIG_HOME is an absolute path, else $HOME/.config/cmrx/config.yaml.
 * @return a new absolute path, or NULL with a message when none can be named.
 */
char *sdk_config_file(bool *from_env, struct err *e);

#endif
