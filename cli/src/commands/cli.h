/* The command table and what every command receives. */
#ifndef CMRX_CLI_CLI_H
#define CMRX_CLI_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

/** Options a command accepts (bit flags); each is declared once, with its
 * value and help, in main.c's table, from which parsing, usage lines and
 * help are made, in this order (a command may word the help of one its own
 * way: struct opt_note). */
enum {
    OPT_BOARD = 1u << 0,
    OPT_TEMPLATE = 1u << 1,
    OPT_RELEASE = 1u << 2,
    OPT_VERBOSE = 1u << 3,
    OPT_TIMEOUT = 1u << 4,
    OPT_PROBE = 1u << 5,
    OPT_PRINT_ONLY = 1u << 6,
    OPT_DRY_RUN = 1u << 7,
    OPT_JSON = 1u << 8,
    OPT_OFFLINE = 1u << 9,
    OPT_REGISTRY = 1u << 10,
    OPT_DIR = 1u << 11,
    OPT_NET = 1u << 12,
    OPT_FORWARD = 1u << 13,
    OPT_IMAGE = 1u << 14,
    OPT_JOBS = 1u << 15,
    OPT_JUNIT = 1u << 16,
    OPT_PORT = 1u << 17,
    OPT_OUTPUT = 1u << 18,
    OPT_FORCE = 1u << 19,
    OPT_PROCESS = 1u << 20,
};

#define CLI_MAX_FORWARDS 16

/** The parsed command line. */
struct cli {
    const char *dir;           /**< -C DIR: the project folder */
    const char *registry;      /**< --registry URL|PATH */
    const char *board;         /**< --board B */
    const char *template_name; /**< --template T */
    const char *probe;         /**< --probe UID: the debug probe */
    const char *image;         /**< --image FILE: the storage image of an emulated board */
    const char *junit;         /**< --junit FILE: a JUnit XML report */
    const char *port;          /**< --port DEV: a serial port */
    const char *output;        /**< --output FILE: where a command writes its result */
    const char *process;       /**< --process P: one updatable process (flash) */
    double timeout;            /**< --timeout S; 0: none */
    unsigned jobs;             /**< -j N: parallel compile jobs; 0: Ninja's default */
    bool json;
    bool offline;
    bool release;    /**< --release: the release profile */
    bool verbose;    /**< --verbose */
    bool dry_run;    /**< --dry-run */
    bool print_only; /**< --print-only */
    bool force;      /**< --force: deploy a version that is not newer */
    bool net;        /**< --net (or --forward): the board on QEMU's user network */
    const char *forwards[CLI_MAX_FORWARDS]; /**< --forward SPEC..., instead of cmrx.yaml's */
    size_t n_forwards;
    char **args; /**< positional arguments after the command name */
    size_t n_args;
};

/** A command's own words for one of its options, where the table's would be
 * wrong for it (what -C names for `package`, what --timeout does in `test`). */
struct opt_note {
    unsigned opt; /**< OPT_*; 0 ends a list */
    const char *help;
};

struct command {
    const char *name;
    const char *args;    /**< its arguments as usage lines show them: "PKG[@CONSTRAINT]..." */
    const char *summary; /**< one line for `cmrx --help` */
    const char *help;    /**< the rest of `cmrx help CMD` */
    unsigned opts;       /**< OPT_* accepted */
    unsigned required;   /**< OPT_* it cannot do without: no brackets in its usage line */
    const struct opt_note *notes; /**< its own help of some options, or NULL */
    /** libgit2 is set up only where needed (git_needed() in fetch.h), as its set-up costs. */
    bool lazy_git;
    size_t min_args, max_args; /**< how many arguments it takes (default: none) */
    int (*run)(const struct cli *c, struct err *e);
};

extern const struct command cmd_new, cmd_add, cmd_remove, cmd_update, cmd_fetch, cmd_search,
    cmd_info, cmd_boards, cmd_templates, cmd_build, cmd_run, cmd_flash, cmd_debug, cmd_size,
    cmd_doctor, cmd_package, cmd_clean, cmd_init, cmd_test, cmd_monitor, cmd_trace, cmd_deploy;

#endif
