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

/* $<xdg_var>/@p name, else $HOME/@p home_rel/@p name: the XDG base
 * directory rule (a relative XDG value is ignored). NULL: neither is usable. */
static char *xdg_path(const char *xdg_var, const char *home_rel, const char *name)
{
    const char *xdg = getenv(xdg_var);
    if (xdg != NULL && xdg[0] == '/') {
        return path_join(xdg, name);
    }
    const char *home = getenv("HOME");
    if (home == NULL || home[0] != '/') {
        return NULL;
    }
    char *base = path_join(home, home_rel);
    char *path = path_join(base, name);
    free(base);
    return path;
}

char *sdk_cache_dir(struct err *e)
{
    char *dir = xdg_path("XDG_CACHE_HOME", ".cache", "cmrx");
    if (dir == NULL) {
        err_set(e, "no cache folder: neither XDG_CACHE_HOME nor HOME is an absolute path");
        err_hint(e, "set XDG_CACHE_HOME, e.g. export XDG_CACHE_HOME=$PWD/.cache");
    }
    return dir;
}

char *sdk_config_file(bool *from_env, struct err *e)
{
    const char *env = getenv("CMRX_CONFIG");
    *from_env = env != NULL && *env != '\0';
    if (*from_env) {
        return path_absolute(env);
    }
    char *file = xdg_path("XDG_CONFIG_HOME", ".config", "cmrx/config.yaml");
    if (file == NULL) {
        err_set(e, "no configuration file: neither XDG_CONFIG_HOME nor HOME is an absolute path");
        err_hint(e, "set HOME, or CMRX_CONFIG to the file to use");
    }
    return file;
}
