/* Package content checksums.
 *
 * The checksum of a package is the git tree id (SHA-1) of its folder: the
 * tree of `subdir` at the locked commit. It covers every file name, content,
 * executable bit and symbolic link, and nothing else (empty folders do not
 * count, as in git). It can be computed from the git object database and,
 * independently, from files on disk, so `cmrx fetch` can tell whether
 * packages/NAME is exactly what cmrx.lock says. */
#ifndef CMRX_CLI_CHECKSUM_H
#define CMRX_CLI_CHECKSUM_H

#include <git2.h>

#include "err.h"

/**
 * Hash the folder @p dir as git would store it as a tree: regular files as
 * blobs (100644, or 100755 when the owner may execute), symbolic links as
 * 120000 blobs of their target; subfolders recursively; empty folders
 * skipped. Anything else (devices, sockets) is an error.
 * @return 0 with the tree id in @p out, or -1 with a message.
 */
int checksum_dir(const char *dir, git_oid *out, struct err *e);

/** @return whether @p s is a 40-digit lower-case hex object id. */
int checksum_is_hex(const char *s);

#endif
