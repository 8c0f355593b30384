/* The host programs cmrx drives (CMake, Ninja, the cross compiler, QEMU,
 * pyOCD, gdb) and the Debian packages that provide them, so that a missing
 * one is reported with what to install. */
#ifndef CMRX_CLI_TOOLS_H
#define CMRX_CLI_TOOLS_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

/** A host program cmrx uses, and how `cmrx doctor` checks it. */
struct tool {
    const char *name;
    const char *progs[2]; /**< the program, or two alternatives (the first preferred) */
    const char *package;  /**< the Debian package that provides it */
    const char *needed_by;
    /** A further test of the program found at @p path; fills @p detail. @return true if fine. */
    bool (*test)(const char *path, const char *arg, char *detail, size_t n);
    const char *arg; /**< for test */
};

/** Every program cmrx drives, with its Debian package: the one list of them. */
extern const struct tool tools[];
extern const size_t N_TOOLS;

/**
 * Find program @p prog on $PATH for @p purpose ("cmrx build").
 * @return its absolute path (a new string), or NULL with a message naming
 * the Debian package to install.
 */
char *tool_require(const char *prog, const char *purpose, struct err *e);

#endif
