/* Git access through the fetch cache.
 *
 * Every git repository cmrx reads (the registry's own repository, package
 * repositories on a server or in a local folder) is mirrored into the cache,
 * $XDG_CACHE_HOME/cmrx/git/ (default ~/.cache/cmrx/git/), as a bare
 * repository holding all branches and tags and the remote's HEAD (as
 * refs/cmrx/HEAD). Packages are checked out from the mirrors, so a warm cache
 * works offline. All git work is done with libgit2. */
#ifndef CMRX_CLI_FETCH_H
#define CMRX_CLI_FETCH_H

#include <git2.h>
#include <stdbool.h>
#include <stddef.h>

#include "err.h"

struct fetcher;

/**
 * Open the cache (its folder is made when a repository is first needed).
 * @p offline: never contact a remote; a repository missing from the cache is
 * then an error.
 * @return 0, or -1 when no cache folder can be named.
 */
int fetcher_open(struct fetcher **out, bool offline, struct err *e);

/** Close every mirror and release the cache lock. */
void fetcher_free(struct fetcher *f);

/**
 * Fetch repository @p url from folder @p local of this machine: a
 * registry whose index names its canonical "repository" serves it from
 * its own checkout (named @p by in messages). The user's mirrors, if one
 * maps @p url, win; the first registry to serve a URL keeps it.
 */
void fetcher_serve(struct fetcher *f, const char *url, const char *local, const char *by);

/** Whether @p url may be fetched: not --offline, or served by a local registry. */
bool fetcher_may_fetch(const struct fetcher *f, const char *url);

/** The folder serving @p url (fetcher_serve()), or NULL. */
const char *fetcher_served(const struct fetcher *f, const char *url);

/**
 * The mirror of @p url, cloned into the cache when missing. With @p refresh
 * it is brought up to date from the remote (at most once per command;
 * skipped offline), with a progress bar on a terminal. @p label (a package
 * name) says in messages what needed the repository. Errors name the URL and
 * say whether the remote or the cache failed.
 * @return 0 with a repository owned by the fetcher, or -1.
 */
int fetcher_mirror(struct fetcher *f, const char *url, const char *label, bool refresh,
                   git_repository **out, struct err *e);

/**
 * Resolve @p tag (a tag name) or @p branch (a branch name, or "HEAD" for the
 * remote's current HEAD) in a mirror to a commit.
 * @return 0, 1 if no such ref exists, or -1 on error.
 */
int fetch_resolve_ref(git_repository *r, const char *tag, const char *branch, git_oid *out,
                      struct err *e);

/**
 * Whether the ref fetch_resolve_ref() would read exists but names an object
 * the repository lacks: a damaged cache entry.
 */
bool fetch_ref_dangles(git_repository *r, const char *tag, const char *branch);

/** Whether the mirror holds commit @p id. */
bool fetch_has_commit(git_repository *r, const git_oid *id);

/**
 * The tree id of folder @p subdir (NULL or "": the root) at @p commit.
 * @return 0, or -1 naming what is missing.
 */
int fetch_subtree(git_repository *r, const git_oid *commit, const char *subdir, git_oid *tree,
                  struct err *e);

/**
 * The oldest commit, going back from @p commit along first parents, whose
 * folder @p subdir is still the same tree as in @p commit: the commit that
 * last changed the package. Locking it instead of a branch's newest commit
 * keeps a lock valid where the newest commits (touching other folders of
 * the repository) are not published.
 * @return 0 with @p out set, or -1 (no such folder in @p commit).
 */
int fetch_last_change(git_repository *r, const git_oid *commit, const char *subdir, git_oid *out,
                      struct err *e);

/**
 * The contents of file @p path (from the repository's root) at @p commit.
 * @return 0 with a new NUL-terminated *data of *len bytes, 1 if there is no
 * such file, or -1.
 */
int fetch_read_file(git_repository *r, const git_oid *commit, const char *path, char **data,
                    size_t *len, struct err *e);

/**
 * Repository @p url as this machine already has it, for reading without a
 * fetch: a local folder (an absolute path) is opened in place, anything else
 * only if the cache holds its mirror. The commit is what @p tag, else
 * @p branch ("HEAD": the repository's own HEAD), else @p commit names.
 * @return 0 with *repo (the caller frees it) and *id; 1 if the repository or
 * the commit is not on this machine; -1 on error.
 */
int fetch_peek(struct fetcher *f, const char *url, const char *tag, const char *branch,
               const char *commit, git_repository **repo, git_oid *id, struct err *e);

/**
 * Write the files of @p tree into folder @p dest (absolute; created), with
 * a progress bar named @p label on a terminal. The tree is checked first: no
 * submodules, no entries named "." / ".." / ".git", no symbolic links
 * pointing outside the tree, no name or path too long to write.
 * @return 0, or -1 with a message.
 */
int fetch_checkout(git_repository *r, const git_oid *tree, const char *dest, const char *label,
                   struct err *e);

/**
 * Set libgit2 up before anything uses git (main does it for most commands;
 * those with lazy_git call it where they need git, since libgit2's set-up
 * loads the system's TLS certificates, about 8 ms). Counted.
 */
void git_needed(void);

/** Undo every git_needed(), once everything made with libgit2 is freed. */
void git_release(void);

#endif
