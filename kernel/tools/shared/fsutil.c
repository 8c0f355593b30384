/* renameat2() (for RENAME_NOREPLACE) is a GNU extension. */
#define _GNU_SOURCE
#include "fsutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool path_is_safe_relative(const char *p)
{
    if (p == NULL || *p == '\0' || *p == '/' || strchr(p, '\\') != NULL) {
        return false;
    }
    const char *c = p;
    for (;;) {
        size_t n = strcspn(c, "/");
        if (n == 0 || (n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.')) {
            return false;
        }
        if (c[n] == '\0') {
            return true;
        }
        c += n + 1;
    }
}

bool path_is_cmake_unsafe(const char *s)
{
    return strpbrk(s, ";$\n\r") != NULL;
}

bool path_is_url(const char *s)
{
    const char *scheme = strstr(s, "://");
    size_t colon = strcspn(s, ":");
    if (scheme != NULL) {
        return scheme > s && scheme[3] != '\0';
    }
    return s[colon] == ':' && colon > 1 && memchr(s, '/', colon) == NULL && s[colon + 1] != '\0';
}

bool name_is_valid(const char *name)
{
    if (name == NULL || strlen(name) > 64 ||
        !((*name >= 'a' && *name <= 'z') || (*name >= '0' && *name <= '9'))) {
        return false;
    }
    for (const char *c = name; *c; c++) {
        if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-' || *c == '_' ||
              *c == '.')) {
            return false;
        }
    }
    return strstr(name, "..") == NULL;
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (p == NULL) {
        fputs("cmrx: out of memory\n", stderr);
        abort();
    }
    return p;
}

void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (p == NULL) {
        fputs("cmrx: out of memory\n", stderr);
        abort();
    }
    return p;
}

void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (p == NULL) {
        fputs("cmrx: out of memory\n", stderr);
        abort();
    }
    return p;
}

char *xstrdup(const char *s)
{
    if (s == NULL) {
        return NULL;
    }
    size_t n = strlen(s) + 1;
    return memcpy(xmalloc(n), s, n);
}

char *xmemdup(const void *p, size_t n)
{
    char *s = xmalloc(n + 1);
    memcpy(s, p, n);
    s[n] = '\0';
    return s;
}

char *xasprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

FILE *xmemstream(char **text, size_t *len)
{
    FILE *f = open_memstream(text, len);
    if (f == NULL) {
        fputs("cmrx: out of memory\n", stderr);
        abort();
    }
    return f;
}

char *path_join(const char *a, const char *b)
{
    size_t la = strlen(a);
    return xasprintf("%s%s%s", a, (la > 0 && a[la - 1] == '/') ? "" : "/", b);
}

bool str_equal(const char *a, const char *b)
{
    return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

void list_add(char **list, const char *item)
{
    char *joined = xasprintf("%s%s%s", *list ? *list : "", *list ? ", " : "", item);
    free(*list);
    *list = joined;
}

bool strv_equal(char *const *a, size_t na, char *const *b, size_t nb)
{
    if (na != nb) {
        return false;
    }
    for (size_t i = 0; i < na; i++) {
        if (strcmp(a[i], b[i]) != 0) {
            return false;
        }
    }
    return true;
}

void strv_free(char **list, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(list[i]);
    }
    free(list);
}

struct dirent *dir_next(DIR *d)
{
    struct dirent *de;
    while ((de = readdir(d)) != NULL &&
           (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)) {
    }
    return de;
}

bool path_exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int mkdir_p(const char *path)
{
    char *p = xstrdup(path);
    for (char *c = p + 1; *c; c++) {
        if (*c == '/') {
            *c = '\0';
            if (mkdir(p, 0777) != 0 && errno != EEXIST) {
                free(p);
                return -1;
            }
            *c = '/';
        }
    }
    int rc = mkdir(p, 0777);
    free(p);
    return (rc != 0 && errno != EEXIST) ? -1 : 0;
}

int rm_rf(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0) {
        return errno == ENOENT ? 0 : -1;
    }
    if (!S_ISDIR(st.st_mode)) {
        return unlink(path);
    }
    DIR *d = opendir(path);
    if (d == NULL) {
        return -1;
    }
    int rc = 0;
    struct dirent *de;
    while ((de = dir_next(d)) != NULL) {
        char *sub = path_join(path, de->d_name);
        if (rm_rf(sub) != 0) {
            rc = -1;
        }
        free(sub);
    }
    closedir(d);
    return (rc == 0 && rmdir(path) == 0) ? 0 : -1;
}

/* How much read_file() reads of a device before it gives up on its end. */
#define READ_DEVICE_MAX (16u << 20)

int read_file(const char *path, char **data, size_t *len, struct err *e)
{
    /* Opened without blocking: a named pipe with no writer would otherwise
     * hang here. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    struct stat st;
    if (fd < 0) {
        return err_set(e, "%s: cannot read: %s", path, strerror(errno));
    }
    if (fstat(fd, &st) != 0) {
        int saved = errno;
        close(fd);
        return err_set(e, "%s: cannot read: %s", path, strerror(saved));
    }
    if (S_ISDIR(st.st_mode)) {
        close(fd);
        err_set(e, "%s: cannot read: it is a folder, not a file", path);
        return err_hint(e, "move that folder away; cmrx expects a file there");
    }
    if (S_ISFIFO(st.st_mode)) {
        close(fd);
        err_set(e, "%s: cannot read: it is a named pipe, not a file", path);
        return err_hint(e, "name a regular file");
    }
    int flags = fcntl(fd, F_GETFL);
    FILE *f = flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0 ? NULL : fdopen(fd, "rb");
    if (f == NULL) {
        int saved = errno;
        close(fd);
        return err_set(e, "%s: cannot read: %s", path, strerror(saved));
    }
    /* A regular file ends; a device such as /dev/zero may not: it is read
     * up to a bound (/dev/null, empty, still reads). */
    bool device = !S_ISREG(st.st_mode);
    size_t cap = 4096, n = 0;
    char *buf = xmalloc(cap);
    size_t got;
    while ((got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (device && n > READ_DEVICE_MAX) {
            fclose(f);
            free(buf);
            err_set(e, "%s: cannot read: it is a device that does not end", path);
            return err_hint(e, "name a regular file");
        }
        if (cap - n - 1 == 0) {
            cap *= 2;
            buf = xrealloc(buf, cap);
        }
    }
    int saved = errno;
    bool bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        return err_set(e, "%s: cannot read: %s", path, strerror(saved));
    }
    buf[n] = '\0';
    *data = buf;
    if (len != NULL) {
        *len = n;
    }
    return 0;
}

void fsync_parent(const char *path)
{
    char *dir = xstrdup(path);
    char *slash = strrchr(dir, '/');
    if (slash == NULL) {
        strcpy(dir, ".");
    } else if (slash == dir) {
        slash[1] = '\0';
    } else {
        *slash = '\0';
    }
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
    free(dir);
}

bool fd_write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            if (w == 0) {
                errno = EIO;
            }
            return false;
        }
        p += w;
        len -= (size_t)w;
    }
    return true;
}

int write_file_atomic(const char *path, const char *data, size_t len, struct err *e)
{
    char *tmp = xasprintf("%s.tmp-%ld", path, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0666);
    if (fd < 0) {
        err_set(e, "%s: cannot write: %s", tmp, strerror(errno));
        free(tmp);
        return -1;
    }
    bool ok = fd_write_all(fd, data, len);
    int saved = errno;
    ok = ok && fsync(fd) == 0;
    if (close(fd) != 0) {
        ok = false;
    }
    if (!ok || rename(tmp, path) != 0) {
        saved = ok ? errno : saved;
        unlink(tmp);
        free(tmp);
        return err_set(e, "%s: cannot write: %s", path, strerror(saved));
    }
    free(tmp);
    fsync_parent(path);
    return 0;
}

int rename_noreplace(const char *from, const char *to)
{
    return renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE);
}

int lock_file_open(const char *path, const char **why)
{
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0666);
    if (fd < 0) {
        *why = errno == ELOOP ? "it is a symbolic link" : strerror(errno);
    }
    return fd;
}

char *path_physical(const char *path)
{
    char *real = realpath(path, NULL);
    return real != NULL ? real : path_absolute(path);
}

char *path_absolute(const char *path)
{
    char *full;
    if (path[0] == '/') {
        full = xstrdup(path);
    } else {
        char cwd[4096];
        if (getcwd(cwd, sizeof(cwd)) == NULL) {
            return xstrdup(path);
        }
        full = path_join(cwd, path);
    }
    /* Normalise in place: drop "." and empty components, resolve "..". */
    char *out = xmalloc(strlen(full) + 2);
    size_t o = 0;
    const char *c = full;
    while (*c) {
        while (*c == '/') {
            c++;
        }
        size_t n = strcspn(c, "/");
        if (n == 0) {
            break;
        }
        if (n == 1 && c[0] == '.') {
            /* nothing */
        } else if (n == 2 && c[0] == '.' && c[1] == '.') {
            while (o > 0 && out[o - 1] != '/') {
                o--;
            }
            if (o > 0) {
                o--;
            }
        } else {
            out[o++] = '/';
            memcpy(out + o, c, n);
            o += n;
        }
        c += n;
    }
    if (o == 0) {
        out[o++] = '/';
    }
    out[o] = '\0';
    free(full);
    return out;
}

void argv_take(struct argv *a, char *s)
{
    if (a->n + 2 > a->cap) {
        a->cap = a->cap ? a->cap * 2 : 16;
        a->v = xrealloc(a->v, a->cap * sizeof(char *));
    }
    a->v[a->n++] = s;
    a->v[a->n] = NULL;
}

void argv_add(struct argv *a, ...)
{
    va_list ap;
    va_start(ap, a);
    for (const char *s; (s = va_arg(ap, const char *)) != NULL;) {
        argv_take(a, xstrdup(s));
    }
    va_end(ap);
}

void argv_free(struct argv *a)
{
    for (size_t i = 0; i < a->n; i++) {
        free(a->v[i]);
    }
    free(a->v);
    memset(a, 0, sizeof(*a));
}
