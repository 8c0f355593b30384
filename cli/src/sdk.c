#include "sdk.h"

#include <stdlib.h>

#include "fsutil.h"

#ifndef CMRX_SDK_DIR
#error "CMRX_SDK_DIR must be defined by the build (the SDK source tree)"
#endif

char *sdk_dir(void)
{
    const char *env = getenv("CMRX_SDK");
    return path_absolute(env != NULL && *env != '\0' ? env : CMRX_SDK_DIR);
}

char *sdk_cache_dir(struct err *e)
{
    const char *xdg = getenv("XDG_CACHE_HOME");
    if (xdg != NULL && xdg[0] == '/') {
        return path_join(xdg, "cmrx");
    }
    const char *home = getenv("HOME");
    if (home != NULL && home[0] == '/') {
        return path_join(home, ".cache/cmrx");
    }
    err_set(e, "no cache folder: neither XDG_CACHE_HOME nor HOME is an absolute path");
    err_hint(e, "set XDG_CACHE_HOME, e.g. export XDG_CACHE_HOME=$PWD/.cache");
    return NULL;
}
