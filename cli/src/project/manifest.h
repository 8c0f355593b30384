/* cmrx.yaml, the project manifest: what the user asked for (board, kernel
 * version, dependencies with version constraints, processes). The schema is
 * in docs/project-files.md. Processes (process.h, shared with the CMake
 * SDK's helper) map one to one onto cmrx_add_process() of the CMake SDK. */
#ifndef CMRX_CLI_MANIFEST_H
#define CMRX_CLI_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "process.h"

struct dependency {
    char *name;
    char *constraint; /**< as written, e.g. "^1.2"; NULL for a git dependency */
    unsigned long line;
    /* A dependency straight from a git repository ({git: URL, tag|branch|rev}),
     * not from a registry; all NULL otherwise. */
    char *git;    /**< URL or absolute path of the repository */
    char *tag;    /**< the tag to lock */
    char *branch; /**< or the branch to follow */
    char *rev;    /**< or the exact commit (40 hex digits) */
    char *subdir; /**< the package's folder in the repository, if not its root */
};

/** A component setting: settings.COMPONENT.KEY = VALUE, a CMake variable COMPONENT_KEY. */
struct setting {
    char *component;
    char *key;
    char *value; /**< a word, or a list of words as a CMake list ("a;b") */
    bool list;   /**< written as a list */
    unsigned long line;
};

/** What one process adds on one board (cmrx.yaml `boards.B.processes.P`). */
struct board_process {
    char *name;
    char **sources, **include_dirs, **defines, **cflags;
    size_t n_sources, n_include_dirs, n_defines, n_cflags;
    unsigned long line;
};

/** What the project adds on one board (cmrx.yaml `boards.B`). */
struct board_override {
    char *board;
    char **defines, **cflags; /**< for every process of cmrx.yaml on that board */
    size_t n_defines, n_cflags;
    struct board_process *procs;
    size_t n_procs;
    unsigned long line;
};

struct manifest {
    const char *path; /**< for messages */
    char *name;
    char *version;     /**< optional */
    char *description; /**< optional */
    char *board;
    unsigned long board_line;
    char *kernel; /**< kernel version constraint; NULL: any */
    unsigned long kernel_line;
    struct dependency *deps;
    size_t n_deps;
    char **defines; /**< for every process of cmrx.yaml, before its own */
    size_t n_defines;
    char **cflags; /**< for every process of cmrx.yaml, before its own */
    size_t n_cflags;
    struct board_override *boards; /**< per-board additions, one per board named */
    size_t n_boards;
    char **registries; /**< registries stacked on the default one, in order */
    size_t n_registries;
    unsigned long registries_line;
    struct process_decl *procs;
    size_t n_procs;
    struct setting *settings;
    size_t n_settings;
    /* network.forward: what `cmrx run --net` forwards, as "tcp:HOST:BOARD" */
    char **forwards;
    size_t n_forwards;
};

/**
 * Parse and validate @p text (the contents of @p path). Unknown keys, wrong
 * types, bad names, unsafe paths and bad constraints are errors naming the
 * file and line.
 * @return 0, or -1 with a message.
 */
int manifest_parse(const char *path, const char *text, size_t len, struct manifest *m,
                   struct err *e);

/** Free what manifest_parse() allocated. */
void manifest_free(struct manifest *m);

/** Emit @p m as YAML (block style, no comments). @return 0 or -1. */
int manifest_emit(const struct manifest *m, char **out, size_t *len, struct err *e);

/** Whether two manifests say the same thing (line numbers ignored). */
bool manifest_equal(const struct manifest *a, const struct manifest *b);

/** @return what cmrx.yaml adds on @p board, or NULL. */
const struct board_override *manifest_board(const struct manifest *m, const char *board);

/** @return what cmrx.yaml adds to process @p proc on @p board, or NULL. */
const struct board_process *manifest_board_process(const struct manifest *m, const char *board,
                                                   const char *proc);

/** @return the dependency called @p name, or NULL. */
const struct dependency *manifest_dep(const struct manifest *m, const char *name);

/** Whether @p s is a valid project name: a letter, then letters, digits, '-' or '_' (<= 64). */
bool manifest_name_valid(const char *s);

/**
 * Whether project name @p s is taken by the build: the firmware's CMake
 * target is named after the project, so CMake's own targets (all, clean,
 * install, ...) and the SDK's (cmrx_*, cmrxproc_*) cannot be used.
 * @return true if reserved.
 */
bool manifest_name_reserved(const char *s);

enum manifest_edit_kind {
    EDIT_SET_DEP,      /**< add dependency name, or change its constraint */
    EDIT_REMOVE_DEP,   /**< remove dependency name */
    EDIT_SET_KERNEL,   /**< set the kernel constraint */
    EDIT_ADD_REGISTRY, /**< append registry name (a location) to 'registries:' */
};

struct manifest_edit {
    enum manifest_edit_kind kind;
    const char *name;       /**< dependency name (SET_DEP, REMOVE_DEP), registry (ADD_REGISTRY) */
    const char *constraint; /**< new constraint (SET_DEP, SET_KERNEL) */
};

/**
 * Apply @p ed to the text of a manifest, keeping comments and layout: the
 * lines concerned are edited in place and the result is parsed again to
 * check it says exactly what was intended. When an in-place edit is not
 * possible (e.g. flow-style mappings), the whole manifest is re-emitted
 * and *comments_lost is set, because libyaml does not keep comments.
 * @return 0 with the new text in *out, or -1 with a message.
 */
int manifest_edit(const char *path, const char *text, size_t len, const struct manifest_edit *ed,
                  char **out, size_t *outlen, bool *comments_lost, struct err *e);

#endif
