/* A process declaration, as cmrx.yaml's `processes:` and the CMake SDK's
 * firmware description both write it: one reader and one set of rules
 * (limits.h) for both. cmrx.yaml adds the sources; the firmware
 * description has none. */
#ifndef CMRX_SHARED_PROCESS_H
#define CMRX_SHARED_PROCESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "limits.h"
#include "yamldoc.h"

/** Bits of process_decl.given: which of the optional keys were written. */
enum {
#define X(key, min, max, def, step) PROC_GIVEN_##key,
    LIMIT_PROCESS_NUMBERS(X)
#undef X
        PROC_GIVEN_fault_policy,
    PROC_GIVEN_system,
    PROC_GIVEN_updater,
    PROC_GIVEN_flash,
};
#define PROC_GIVEN(key) (1u << PROC_GIVEN_##key)

struct mmio_range {
    uint32_t base, size;
};

struct process_decl {
    char *name;
    char **sources; /**< cmrx.yaml only */
    size_t n_sources;
    char **include_dirs; /**< cmrx.yaml only */
    size_t n_include_dirs;
    char **defines; /**< cmrx.yaml only: NAME or NAME=VALUE */
    size_t n_defines;
    char **cflags; /**< cmrx.yaml only: compiler options */
    size_t n_cflags;
    unsigned given; /**< PROC_GIVEN() bits; what was not written has its default */
#define X(key, min, max, def, step) uint32_t key;
    LIMIT_PROCESS_NUMBERS(X)
#undef X
    struct mmio_range mmio[LIMIT_MMIO];
    size_t n_mmio;
    uint32_t irqs[LIMIT_PROC_IRQS];
    size_t n_irqs;
    char **peripherals; /**< devices of the board's bsp.yaml it is granted, by name */
    size_t n_peripherals;
    char **callers; /**< the processes its services serve, by name (NULL: every process) */
    size_t n_callers;
    enum fault_policy fault_policy;
    bool system;  /**< may shut the system down */
    bool updater; /**< may stage and commit images of updatable processes */
    bool flash;   /**< may have the kernel erase and program the board's storage flash */
    unsigned long line;
};

/** One number of a process, for code that goes through all of them. */
struct process_number {
    const char *key; /**< "stack_size" */
    size_t offset;   /**< of the uint32_t in struct process_decl */
    unsigned given;  /**< its PROC_GIVEN() bit */
    uint32_t min, max, def, step;
};

/**
 * Read @p v as a list of preprocessor definitions (NAME or NAME=VALUE,
 * NAME a C identifier) or, with @p flags, of compiler options (starting
 * with '-'; not those the board chooses: -mcpu, -march, -mfpu, -mfloat-abi,
 * -mthumb). @return 0 or -1 with a message at the line.
 */
int process_flag_list(struct ydoc *d, yaml_node_t *v, const char *k, bool flags, char ***out,
                      size_t *n, struct err *e);

/**
 * Read @p v as a list of paths inside the project (relative, without '..').
 * @return 0 or -1 with a message at the line.
 */
int process_path_list(struct ydoc *d, yaml_node_t *v, const char *k, char ***out, size_t *n,
                      struct err *e);

/** The numbers of LIMIT_PROCESS_NUMBERS, in that order; PROCESS_NUMBERS of them. */
extern const struct process_number process_numbers[];
extern const size_t PROCESS_NUMBERS;

/** @return the value of number @p n of @p p. */
uint32_t process_number(const struct process_decl *p, const struct process_number *n);

/** Whether @p s can name a process: a C identifier of at most LIMIT_PROCESS_NAME characters. */
bool process_name_valid(const char *s);

/** Read sources, include_dirs, defines and cflags (cmrx.yaml), else refuse them. */
#define PROC_WITH_SOURCES 1u

/**
 * Read the list of processes @p list (named @p where in messages; NULL or
 * an empty value: none). Every key is checked against limits.h; names are
 * C identifiers and unique; what is not given gets its default; a
 * peripheral belongs to one process.
 * @return 0 with a new array in *out, or -1 with a message naming the line.
 */
int process_list_parse(struct ydoc *d, yaml_node_t *list, const char *where, unsigned flags,
                       struct process_decl **out, size_t *n, struct err *e);

/** Free what process_list_parse() allocated for @p n processes, and the array. */
void process_list_free(struct process_decl *p, size_t n);

/** Emit @p p as a block mapping of the keys that were given (sources first if any). */
void process_emit(struct yemit *y, const struct process_decl *p);

/** Whether two declarations say the same thing (lines ignored). */
bool process_equal(const struct process_decl *a, const struct process_decl *b);

#endif
