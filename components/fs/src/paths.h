/* Paths as the fs process checks them before littlefs sees them: their
 * canonical form, and who may name them (fs's `owners` setting). Plain C,
 * so that the host unit tests run it too (tests/unit/test_fs_paths.c). */
#ifndef FS_PATHS_H
#define FS_PATHS_H

#include <stdbool.h>

/**
 * Rewrite @p path (not empty) in place as its names joined by single
 * '/'s, with no '/' before the first or after the last, and "/" for the
 * root: "." is dropped, and ".." takes off the name before it, by name
 * alone (whether that exists or is a directory or not), none above the
 * root. The result is never longer than @p path. fs hands littlefs this
 * form, so the path it checked is the one littlefs opens (littlefs's own
 * lookahead would read "a/./../b" as "a/b").
 */
void fs_path_canonical(char *path);

/** @return whether canonical @p to lies inside canonical @p from (a directory into itself). */
bool fs_path_inside(const char *from, const char *to);

/**
 * Whether process @p pid may name canonical @p path, given @p owners: fs's
 * `owners` setting as the build passes it ("/dir:name,/dir:name...").
 * @return CMRX_OK if the path's first name is no directory @p owners lists,
 *         or one it lists for @p pid's name; else CMRX_EPERM (also after
 *         an entry that cannot be read: nothing kept is given away).
 */
int fs_path_check(const char *owners, const char *path, unsigned pid);

#endif
