/* cmrx.yaml, the project manifest: what the user asked for (board, kernel
 * version, dependencies with version constraints, processes). The schema is
 * in docs/project-files.md. Processes map one to one onto
 * cmrx_add_process() of the CMake SDK. */
#ifndef CMRX_CLI_MANIFEST_H
#define CMRX_CLI_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define MANIFEST_MAX_MMIO 2   /* per process, as the kernel's MPU map allows */
#define MANIFEST_MAX_IRQS 496 /* Cortex-M external interrupts */

enum fault_policy {
    FAULT_UNSET,       /**< not given: the SDK default (kill-thread) */
    FAULT_KILL_THREAD, /**< kill the faulting thread */
    FAULT_KILL_PROCESS,
    FAULT_RESTART, /**< re-initialise the process and restart its threads */
};

/** Which optional numbers of a process were written (bit flags). */
enum {
    PROC_HAS_STACK = 1u << 0,
    PROC_HAS_THREADS = 1u << 1,
    PROC_HAS_PRIORITY = 1u << 2,
    PROC_HAS_SYSTEM = 1u << 3,
    PROC_HAS_TIMERS = 1u << 4,
    PROC_HAS_MAX_PRIORITY = 1u << 5,
    PROC_HAS_RPC_STACK = 1u << 6,
};

struct mmio_range {
    uint32_t base, size;
};

struct process_decl {
    char *name;
    char **sources;
    size_t n_sources;
    char **include_dirs;
    size_t n_include_dirs;
    unsigned has; /**< PROC_HAS_* */
    uint32_t stack_size, threads, priority, timers;
    uint32_t max_priority; /**< ceiling of its threads' priorities (default: priority) */
    uint32_t rpc_stack;    /**< stack its methods get on a caller's thread (0: all it has) */
    struct mmio_range mmio[MANIFEST_MAX_MMIO];
    size_t n_mmio;
    uint32_t *irqs;
    size_t n_irqs;
    char **peripherals; /**< names of the board's devices it asks for (bsp.yaml peripherals) */
    size_t n_peripherals;
    enum fault_policy fault_policy;
    bool system;
    unsigned long line;
};

struct dependency {
    char *name;
    char *constraint; /**< as written, e.g. "^1.2" */
    unsigned long line;
};

/** A component setting: settings.COMPONENT.KEY = VALUE, a CMake variable COMPONENT_KEY. */
struct setting {
    char *component;
    char *key;
    char *value;
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

/** @return the dependency called @p name, or NULL. */
const struct dependency *manifest_dep(const struct manifest *m, const char *name);

/**
 * The CMake variable of a setting: COMPONENT_KEY in upper case, '-' and '.'
 * as '_' (settings.netstack.sockets is NETSTACK_SOCKETS). A new string.
 */
char *setting_variable(const struct setting *s);

/**
 * Parse a port forward "tcp:HOST:BOARD" or "udp:HOST:BOARD" (ports 1..65535;
 * HOST may be 0: a free port when the board runs).
 * @return 0 with the parts, or -1.
 */
int forward_parse(const char *s, bool *udp, unsigned *host, unsigned *board);

/** Whether @p s is a valid project name: a letter, then letters, digits, '-' or '_' (<= 64). */
bool manifest_name_valid(const char *s);

/**
 * Whether project name @p s is taken by the build: the firmware's CMake
 * target is named after the project, so CMake's own targets (all, clean,
 * install, ...) and the SDK's (cmrx_*, cmrxproc_*) cannot be used.
 * @return true if reserved.
 */
bool manifest_name_reserved(const char *s);

/** @return the name of a fault policy as written in cmrx.yaml ("kill-thread", ...). */
const char *fault_policy_name(enum fault_policy p);

enum manifest_edit_kind {
    EDIT_SET_DEP,    /**< add dependency name, or change its constraint */
    EDIT_REMOVE_DEP, /**< remove dependency name */
    EDIT_SET_KERNEL, /**< set the kernel constraint */
};

struct manifest_edit {
    enum manifest_edit_kind kind;
    const char *name;       /**< dependency name (SET_DEP, REMOVE_DEP) */
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
