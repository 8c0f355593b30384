/* All-or-nothing changes of a project: cmrx.yaml, cmrx.lock and packages/.
 *
 * Everything new is first written under .cmrx/txn/ in the project (same
 * file system, so renames are atomic): new package folders in new/, new
 * project files beside them, links to the old project files in orig/.
 * Before the commit point every move the change will make is checked to be
 * possible (a folder that cannot be moved stops it there). Nothing in the
 * project changes until the journal (.cmrx/txn/journal, written to a
 * temporary name and renamed) exists: that rename is the commit point.
 * Then each step is a rename that can be repeated safely, and undone: a
 * step that still fails (an I/O error) undoes the steps before it, so the
 * project is as it was. A command killed before the commit point leaves
 * the project as it was (the next cmrx run deletes the leftovers); killed
 * after it, the next cmrx run finishes the change, or undoes it if it
 * cannot be finished (txn_recover).
 *
 * Package folders that hold edits of the user (or are not packages at
 * all) are never deleted: they are moved to .cmrx/kept/STAMP/NAME. */
#ifndef CMRX_CLI_TXN_H
#define CMRX_CLI_TXN_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

struct txn {
    char *root;    /**< project folder */
    char *dir;     /**< root/.cmrx/txn */
    char *journal; /**< the steps staged so far, one per line */
    size_t len;
    char stamp[48]; /**< the folder under .cmrx/kept/ of this change */
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

/**
 * Record that packages/@p name is the user's (edited, or no package): it is
 * moved to .cmrx/kept/STAMP/@p name, before any txn_stage() of that name.
 * @return the folder it will be in, relative to the project (a new string).
 */
char *txn_keep(struct txn *t, const char *name);

/** Stage new contents for project file @p fname ("cmrx.yaml" or "cmrx.lock"). @return 0 or -1. */
int txn_put_file(struct txn *t, const char *fname, const char *data, size_t len, struct err *e);

/** Whether anything was staged. */
bool txn_empty(const struct txn *t);

/**
 * Commit: check that every step can be made, write the journal, then apply
 * it (signals that would interrupt are held back meanwhile) and clean up.
 * @return 0, or -1 with the project as it was (unless even undoing failed:
 * the message then says so and the next cmrx run tries again).
 */
int txn_commit(struct txn *t, struct err *e);

/** Drop everything staged; the project is untouched. */
void txn_abort(struct txn *t);

/** What txn_recover() did. */
enum txn_recovery {
    TXN_NOTHING,  /**< no change was left */
    TXN_FINISHED, /**< a committed change was finished */
    TXN_UNDONE,   /**< a committed change could not be finished and was undone */
};

/**
 * Finish (or, if that fails, undo) a change a killed cmrx left behind in
 * @p root; discard an uncommitted one. With TXN_UNDONE, @p e says why the
 * change could not be finished.
 * @return 0, or -1 if neither was possible (the message says how to fix it).
 */
int txn_recover(const char *root, enum txn_recovery *what, struct err *e);

#endif
