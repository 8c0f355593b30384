/* The fs process's paths (components/fs/src/paths.c): what every path a
 * client names goes through before littlefs sees it. The input is two
 * paths, split at its first newline. Each one's canonical form must be
 * what a plain model makes of its names (a stack: "." nothing, ".." a pop,
 * none above the root), no longer than the path and its own canonical
 * form; the kept directory "/vault" must be refused to every process but
 * its owner under any spelling; and one path lies inside the other exactly
 * when its names continue the other's. */
#include <stdbool.h>
#include <stdio.h>

#include <cmrx/cmrx.h>
#include <cmrx/host.h>

#include "fuzz.h"
#include "paths.h"

#define NAMES_MAX 256

struct names {
    const char *at[NAMES_MAX];
    size_t len[NAMES_MAX];
    size_t n;
};

/* The model: the path's names after "." and ".." are applied. */
static void model(const char *p, struct names *out)
{
    out->n = 0;
    while (*p != '\0') {
        size_t len = strcspn(p, "/");
        if (len == 2 && p[0] == '.' && p[1] == '.') {
            out->n -= out->n > 0;
        } else if (len > 0 && !(len == 1 && p[0] == '.')) {
            FUZZ_CHECK(out->n < NAMES_MAX); /* a path of 511 bytes at most */
            out->at[out->n] = p;
            out->len[out->n++] = len;
        }
        p += len + (p[len] == '/');
    }
}

/* The model's names joined as fs_path_canonical() promises to. */
static void joined(const struct names *m, char *out)
{
    size_t k = 0;
    for (size_t i = 0; i < m->n; i++) {
        if (i > 0) {
            out[k++] = '/';
        }
        memcpy(out + k, m->at[i], m->len[i]);
        k += m->len[i];
    }
    if (k == 0) {
        out[k++] = '/';
    }
    out[k] = '\0';
}

static const char *const procs[] = {"keeper", "thief", NULL};
enum { KEEPER, THIEF };

/* Check one path (not empty, at most 511 bytes); @return its model in @p m. */
static void one(const char *path, char *canon, struct names *m)
{
    model(path, m);
    char want[512];
    joined(m, want);
    strcpy(canon, path);
    fs_path_canonical(canon);
    FUZZ_CHECK(strcmp(canon, want) == 0);
    FUZZ_CHECK(strlen(canon) <= strlen(path));
    char again[512];
    strcpy(again, canon);
    fs_path_canonical(again);
    FUZZ_CHECK(strcmp(again, canon) == 0);

    const char *top = m->n > 0 ? m->at[0] : "";
    size_t top_len = m->n > 0 ? m->len[0] : 0;
    bool kept = (top_len == 5 && memcmp(top, "vault", 5) == 0) ||
                (top_len == 3 && memcmp(top, "cfg", 3) == 0);
    const char *owners = "/vault:keeper,/cfg:keeper";
    FUZZ_CHECK(fs_path_check(owners, canon, KEEPER) == CMRX_OK);
    FUZZ_CHECK(fs_path_check(owners, canon, THIEF) == (kept ? CMRX_EPERM : CMRX_OK));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0 || size > 1023) {
        return 0;
    }
    cmrx_host_process_names = procs;
    char *text = fuzz_string(data, size);
    char *second = strchr(text, '\n');
    if (second != NULL) {
        *second++ = '\0';
    }
    const char *paths[2] = {text, second};
    char canon[2][512];
    struct names m[2];
    size_t n = 0;
    for (; n < 2 && paths[n] != NULL; n++) {
        if (paths[n][0] == '\0' || strlen(paths[n]) > 511) {
            break;
        }
        one(paths[n], canon[n], &m[n]);
    }
    if (n == 2) {
        /* Inside: the second's names continue all of the first's. */
        bool inside = m[0].n > 0 && m[1].n > m[0].n;
        for (size_t i = 0; inside && i < m[0].n; i++) {
            inside = m[0].len[i] == m[1].len[i] && memcmp(m[0].at[i], m[1].at[i], m[0].len[i]) == 0;
        }
        FUZZ_CHECK(fs_path_inside(canon[0], canon[1]) == inside);
    }
    free(text);
    return 0;
}
