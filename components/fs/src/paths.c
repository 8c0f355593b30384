/* Paths as the fs process checks them (paths.h). */
#include "paths.h"

#include <stddef.h>
#include <string.h>

#include <cmrx/cmrx.h>

void fs_path_canonical(char *path)
{
    /* Written behind where it is read: a name moves left or stays, so a
     * forward copy is safe (and memmove()'s 250 bytes are not needed). */
    size_t n = 0;
    const char *src = path;
    while (*src != 0) {
        while (*src == '/') {
            src++;
        }
        const char *c = src;
        while (*src != 0 && *src != '/') {
            src++;
        }
        size_t len = (size_t)(src - c);
        if (len == 0 || (len == 1 && c[0] == '.')) {
            continue;
        }
        if (len == 2 && c[0] == '.' && c[1] == '.') {
            while (n > 0 && path[n - 1] != '/') {
                n--;
            }
            n -= n > 0; /* the '/' before the name taken off */
            continue;
        }
        if (n > 0) {
            path[n++] = '/';
        }
        for (size_t i = 0; i < len; i++) {
            path[n++] = c[i];
        }
    }
    if (n == 0) {
        path[n++] = '/';
    }
    path[n] = 0;
}

bool fs_path_inside(const char *from, const char *to)
{
    size_t n = strlen(from);
    return from[0] != '/' && strncmp(from, to, n) == 0 && to[n] == '/'; /* "/" is the root */
}

int fs_path_check(const char *owners, const char *path, unsigned pid)
{
    size_t top = strcspn(path, "/"); /* 0 for the root, which nobody keeps */
    char name[CMRX_PROCESS_NAME_MAX + 1u];
    const char *key;
    size_t len;
    const char *s = owners;
    for (const char *next; (next = cmrx_entry_next(s, &key, &len, name)) != NULL; s = next) {
        if (top > 0 && len == top + 1 && key[0] == '/' && memcmp(key + 1, path, top) == 0) {
            return cmrx_process_is(pid, name) ? CMRX_OK : CMRX_EPERM;
        }
    }
    return s == NULL || *s == 0 ? CMRX_OK : CMRX_EPERM;
}
