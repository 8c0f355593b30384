#include "checksum.h"

#include <dirent.h>
#include <errno.h>
#include <git2/sys/mempack.h>
#include <git2/sys/repository.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"

static int git_fail(struct err *e, const char *what)
{
    const git_error *ge = git_error_last();
    return err_set(e, "%s: %s", what, ge ? ge->message : "libgit2 error");
}

/* Returns 1 when the folder holds nothing git would keep (no tree). */
static int hash_tree(git_repository *mem, const char *dir, git_oid *out, struct err *e)
{
    DIR *d = opendir(dir);
    if (d == NULL) {
        return err_set(e, "%s: cannot read folder: %s", dir, strerror(errno));
    }
    git_treebuilder *tb = NULL;
    if (git_treebuilder_new(&tb, mem, NULL) != 0) {
        closedir(d);
        return git_fail(e, dir);
    }
    int rc = 0;
    struct dirent *de;
    while (rc == 0 && (de = dir_next(d)) != NULL) {
        char *p = path_join(dir, de->d_name);
        struct stat st;
        git_oid id;
        git_filemode_t mode = GIT_FILEMODE_BLOB;
        int sub = 0;
        if (lstat(p, &st) != 0) {
            rc = err_set(e, "%s: %s", p, strerror(errno));
        } else if (S_ISDIR(st.st_mode)) {
            mode = GIT_FILEMODE_TREE;
            sub = hash_tree(mem, p, &id, e);
            rc = sub < 0 ? -1 : 0;
        } else if (S_ISLNK(st.st_mode)) {
            /* git stores the link target; git_odb_hashfile() would
             * follow the link instead. */
            char target[4096];
            ssize_t n = readlink(p, target, sizeof(target));
            mode = GIT_FILEMODE_LINK;
            if (n < 0 || (size_t)n >= sizeof(target)) {
                rc = err_set(e, "%s: cannot read link", p);
            } else if (git_odb_hash(&id, target, (size_t)n, GIT_OBJECT_BLOB) != 0) {
                rc = git_fail(e, p);
            }
        } else if (S_ISREG(st.st_mode)) {
            mode = (st.st_mode & S_IXUSR) ? GIT_FILEMODE_BLOB_EXECUTABLE : GIT_FILEMODE_BLOB;
            /* Hashed as it is read, never held: a package's files may be
             * far larger than memory. */
            if (git_odb_hashfile(&id, p, GIT_OBJECT_BLOB) != 0) {
                rc = git_fail(e, p);
            }
        } else {
            rc = err_set(e, "%s: not a file, folder or link; packages hold only those", p);
        }
        if (rc == 0 && sub == 0 && git_treebuilder_insert(NULL, tb, de->d_name, &id, mode) != 0) {
            rc = git_fail(e, p);
        }
        free(p);
    }
    closedir(d);
    if (rc == 0) {
        if (git_treebuilder_entrycount(tb) == 0) {
            rc = 1;
        } else if (git_treebuilder_write(out, tb) != 0) {
            rc = git_fail(e, dir);
        }
    }
    git_treebuilder_free(tb);
    return rc;
}

int checksum_dir(const char *dir, git_oid *out, struct err *e)
{
    /* A repository with no folder and an in-memory object store: nothing
     * is written to disk while hashing. */
    git_repository *mem = NULL;
    git_odb *odb = NULL;
    git_odb_backend *pack = NULL;
    int rc = -1;
    if (git_repository_new(&mem) != 0 || git_odb_new(&odb) != 0 || git_mempack_new(&pack) != 0 ||
        git_odb_add_backend(odb, pack, 1) != 0) {
        git_fail(e, "cannot set up an in-memory object store");
    } else {
        git_repository_set_odb(mem, odb);
        /* Blobs are hashed, not stored: the tree builder must not look
         * them up. Only trees, which are small, go to the store. */
        git_libgit2_opts(GIT_OPT_ENABLE_STRICT_OBJECT_CREATION, 0);
        rc = hash_tree(mem, dir, out, e);
        git_libgit2_opts(GIT_OPT_ENABLE_STRICT_OBJECT_CREATION, 1);
        if (rc == 1) { /* empty: the id of the empty tree */
            rc = git_oid_fromstr(out, "4b825dc642cb6eb9a060e54bf8d69288fbee4904") ? -1 : 0;
        }
    }
    git_odb_free(odb);
    git_repository_free(mem);
    return rc;
}

int checksum_is_hex(const char *s)
{
    if (s == NULL || strlen(s) != GIT_OID_HEXSZ) {
        return 0;
    }
    for (; *s; s++) {
        if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f'))) {
            return 0;
        }
    }
    return 1;
}
