/* A project on disk: cmrx.yaml, cmrx.lock, packages/ and cmrx's private
 * .cmrx/ folder (the lock that keeps two cmrx runs apart, and the staging
 * area of txn.h). */
#ifndef CMRX_CLI_PROJECT_H
#define CMRX_CLI_PROJECT_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "lock.h"
#include "manifest.h"

struct project {
    char *root;          /**< absolute project folder */
    char *manifest_path; /**< root/cmrx.yaml */
    char *lock_path;     /**< root/cmrx.lock */
    char *yaml;          /**< text of cmrx.yaml */
    size_t yaml_len;
    struct manifest m;
    char *lock_text; /**< text of cmrx.lock; NULL if there is none */
    size_t lock_len;
    struct lock lock; /**< empty if there is no cmrx.lock */
    int lock_fd;
};

/**
 * Find the project: @p dir if given (-C), else the nearest folder holding
 * cmrx.yaml from the current folder upwards.
 * @return a new absolute path, or NULL with a message.
 */
char *project_find(const char *dir, struct err *e);

/**
 * Open the project at @p root: take its lock (waiting for another cmrx run
 * in it to end), finish or discard a change an interrupted run left, then
 * read and validate cmrx.yaml and cmrx.lock.
 * @return 0, or -1 with a message.
 */
int project_open(const char *root, struct project *p, struct err *e);

/** Release the project. */
void project_close(struct project *p);

/**
 * Check that cmrx.lock covers what cmrx.yaml asks for (board, kernel
 * constraint, each dependency's constraint).
 * @return 0, or -1 naming the first mismatch and suggesting `cmrx update`.
 */
int project_lock_matches(const struct project *p, struct err *e);

#endif
