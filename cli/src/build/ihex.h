/* Intel HEX files (the format pyOCD programs with addresses), for
 * `cmrx flash --process`: a few blocks of bytes at their flash addresses. */
#ifndef CMRX_CLI_IHEX_H
#define CMRX_CLI_IHEX_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

/** Bytes to program at an address. */
struct ihex_block {
    uint32_t addr;
    const uint8_t *data;
    size_t len;
};

/**
 * The Intel HEX text of @p n blocks: 16-byte data records, an extended
 * linear address record wherever the upper 16 address bits change, and
 * the end-of-file record. @return a new string.
 */
char *ihex_text(const struct ihex_block *blocks, size_t n);

/** Write ihex_text() of the blocks to @p path (atomically). @return 0 or -1. */
int ihex_write(const char *path, const struct ihex_block *blocks, size_t n, struct err *e);

#endif
