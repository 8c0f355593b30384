/* Memory, strings and files for the host tools: allocation that aborts on
 * out of memory, atomic writes, recursive create/remove, the path checks
 * that keep packages and sources inside the project, and argument lists. */
#ifndef CMRX_SHARED_FSUTIL_H
#define CMRX_SHARED_FSUTIL_H

#include <dirent.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "err.h"

/**
 * Whether @p p is a safe relative path: not empty, not absolute, no "."
 * or ".." component, no empty component, no backslash.
 */
bool path_is_safe_relative(const char *p);

/**
 * Whether @p s, a file name that becomes an item of a generated CMake list,
 * holds a character CMake would read there: ';' splits the list even in a
 * quoted argument, '$' starts a generator expression ("$<1:.>$<1:.>" is
 * ".." once evaluated), a line break ends the generated line.
 */
bool path_is_cmake_unsafe(const char *s);

/** Whether @p s is a URL (scheme://x, or scp-like [user@]host:path with the
 *  ':' before any '/') rather than a path. */
bool path_is_url(const char *s);

/** Whether @p name is a valid package name: [a-z0-9][a-z0-9._-]*, at most 64 chars. */
bool name_is_valid(const char *name);

/** Join @p a and @p b with '/' into a new string (never NULL: aborts on out of memory). */
char *path_join(const char *a, const char *b);

/** strdup() that aborts on out of memory, and maps NULL to NULL. */
char *xstrdup(const char *s);

/** A NUL-terminated copy of @p n bytes at @p p (which may hold NUL bytes). */
char *xmemdup(const void *p, size_t n);

/** malloc/calloc/realloc that abort on out of memory. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);

/** printf into a new string (aborts on out of memory). */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/** open_memstream() that aborts on out of memory: a stream into a growing string. */
FILE *xmemstream(char **text, size_t *len);

/** Whether two strings are equal, NULL equal only to NULL. */
bool str_equal(const char *a, const char *b);

/** Append @p item to the list "a, b" in *@p list (a string of malloc, or NULL). */
void list_add(char **list, const char *item);

/** Free the first @p n strings of @p list, then @p list. */
void strv_free(char **list, size_t n);

/** Whether two lists of strings hold the same strings in the same order. */
bool strv_equal(char *const *a, size_t na, char *const *b, size_t nb);

/**
 * The next entry of an open folder, skipping "." and "..".
 * @return the entry, or NULL at the end.
 */
struct dirent *dir_next(DIR *d);

/** Whether @p path exists (lstat). */
bool path_exists(const char *path);

/** Whether @p path is a directory (stat, following links). */
bool is_dir(const char *path);

/** Create @p path and its missing parents (mode 0777 & ~umask). @return 0 or -1 (errno). */
int mkdir_p(const char *path);

/** Remove @p path recursively; a missing path is fine. @return 0 or -1 (errno). */
int rm_rf(const char *path);

/**
 * Read a whole file into a new NUL-terminated buffer.
 * @return 0, or -1 with a message naming the file.
 */
int read_file(const char *path, char **data, size_t *len, struct err *e);

/**
 * Replace @p path with @p data atomically: write "<path>.tmp-<pid>", fsync,
 * rename over @p path, fsync the directory. Readers see the old or the new
 * content, never a mix.
 * @return 0, or -1 with a message naming the file.
 */
int write_file_atomic(const char *path, const char *data, size_t len, struct err *e);

/**
 * Write all @p len bytes of @p buf to @p fd, again after EINTR.
 * @return true, or false with errno set.
 */
bool fd_write_all(int fd, const void *buf, size_t len);

/** fsync the directory holding @p path (best effort, for durable renames). */
void fsync_parent(const char *path);

/**
 * Rename @p from to @p to, failing with EEXIST if @p to exists (even as an
 * empty directory). @return 0 or -1 (errno).
 */
int rename_noreplace(const char *from, const char *to);

/** A growable NULL-terminated argument list. */
struct argv {
    char **v;
    size_t n, cap;
};

/** Append a copy of each string (up to a NULL) to @p a. */
void argv_add(struct argv *a, ...) __attribute__((sentinel));

/** Append @p s (a string from malloc, which @p a now owns) to @p a. */
void argv_take(struct argv *a, char *s);

/** Free the strings and the list. */
void argv_free(struct argv *a);

/**
 * Open lock file @p path for reading and writing, creating it if need be,
 * never through a symbolic link: one a project from elsewhere put there
 * would make O_CREAT create any file of the user's.
 * @return the descriptor, or -1 with *@p why saying what went wrong.
 */
int lock_file_open(const char *path, const char **why);

/** The absolute path of existing @p path with every symbolic link and ".."
 *  resolved as the file system does (realpath()); path_absolute()'s if it
 *  does not exist. */
char *path_physical(const char *path);

/** Absolute form of @p path (need not exist): cwd-joined if relative, "." and ".." removed. */
char *path_absolute(const char *path);

#endif
