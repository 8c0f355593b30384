/* Where things are: the SDK checkout this cmrx belongs to, and the cache. */
#ifndef CMRX_CLI_SDK_H
#define CMRX_CLI_SDK_H

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

#endif
