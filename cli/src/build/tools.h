/* The host programs cmrx drives (CMake, Ninja, the cross compiler, QEMU,
 * pyOCD, gdb) and the Debian packages that provide them, so that a missing
 * one is reported with what to install. */
#ifndef CMRX_CLI_TOOLS_H
#define CMRX_CLI_TOOLS_H

#include "err.h"

/** @return the Debian package that provides program @p prog, or NULL if none is known. */
const char *tool_package(const char *prog);

/**
 * Find program @p prog on $PATH for @p purpose ("cmrx build").
 * @return its absolute path (a new string), or NULL with a message naming
 * the Debian package to install.
 */
char *tool_require(const char *prog, const char *purpose, struct err *e);

#endif
