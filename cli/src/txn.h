/* All-or-nothing changes of a project: cmrx.yaml, cmrx.lock and packages/.
 *
 * Everything new is first written under .cmrx/txn/ in the project (same
 * file system, so renames are atomic): new package folders in new/, new
 * project files beside them. Nothing in the project changes until the
 * journal (.cmrx/txn/journal, written to a temporary name and renamed) exists:
 * that rename is the commit point. Then each step is a rename that can be
 * repeated safely. A command killed before the commit point leaves the
 * project as it was (the next cmrx run deletes the leftovers); killed after
 * it, the next cmrx run finishes the change (txn_recover). */
#ifndef CMRX_CLI_TXN_H
#define CMRX_CLI_TXN_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

struct txn {
    char *root;     /**< project folder */
    char *dir;      /**< root/.cmrx/txn */
    char **install; /**< package names staged in new/ */
    size_t n_install;
    char **remove; /**< package folders to delete */
    size_t n_remove;
    char *files[2]; /**< "cmrx.yaml" / "cmrx.lock" if replaced */
    size_t n_files;
};

/**
 * Start a change of the project at @p root (its .cmrx/ lock must be held).
 * @return 0, or -1 if the staging folder cannot be made.
 */
int txn_begin(const char *root, struct txn *t, struct err *e);

/** The folder to fill with package @p name (recorded for installation). A new string. */
char *txn_stage(struct txn *t, const char *name);

/** Record that packages/@p name is to be deleted. */
void txn_remove(struct txn *t, const char *name);

/** Stage new contents for project file @p fname ("cmrx.yaml" or "cmrx.lock"). @return 0 or -1. */
int txn_put_file(struct txn *t, const char *fname, const char *data, size_t len, struct err *e);

/** Whether anything was staged. */
bool txn_empty(const struct txn *t);

/**
 * Commit: write the journal, then apply it (signals that would interrupt are
 * held back meanwhile) and clean up.
 * @return 0, or -1 (before the commit point the project is untouched).
 */
int txn_commit(struct txn *t, struct err *e);

/** Drop everything staged; the project is untouched. */
void txn_abort(struct txn *t);

/**
 * Finish or discard a change a killed cmrx left behind in @p root.
 * *finished tells whether an interrupted change was completed.
 * @return 0, or -1 if it could not be completed (the message says how to fix it).
 */
int txn_recover(const char *root, bool *finished, struct err *e);

#endif
