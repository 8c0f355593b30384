/* What the fuzz harnesses share: each one feeds libFuzzer's bytes to one
 * parser of cmrx or cmrx-sdk, exactly as they came (not NUL-terminated:
 * the parsers take a length), and traps when a promise is broken (a parsed
 * file that does not read back the same, an error without a message). */
#ifndef CMRX_FUZZ_H
#define CMRX_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"

/** Stop the run: libFuzzer keeps the input that did it. */
#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            __builtin_trap();                                                                      \
        }                                                                                          \
    } while (0)

/** A failure must say what failed. */
#define FUZZ_FAILED_WELL(rc, e) FUZZ_CHECK((rc) == 0 || ((e).msg[0] != '\0'))

/** A NUL-terminated copy of the input, for the functions that take a string. */
static inline char *fuzz_string(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
