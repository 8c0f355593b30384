/* The listing behind `cmrx boards` and `cmrx templates`. */
#ifndef CMRX_CLI_LISTING_H
#define CMRX_CLI_LISTING_H

#include "cli.h"
#include "err.h"
#include "registry.h"

/**
 * Print the registry's packages of @p kind (a table, or JSON with --json).
 * @return 0 or -1.
 */
int listing_print(const struct cli *c, enum pkg_kind kind, struct err *e);

#endif
