/* SHA-256 (FIPS 180-4), written for CMRX: the kernel verifies staged
 * process images with it and cmrx-sdk seals them. Plain C, no hardware:
 * the same file builds for the kernel, the host helper and unit tests. */
#ifndef CMRX_SHA256_H
#define CMRX_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define CMRX_SHA256_LEN 32u

struct cmrx_sha256 {
    uint32_t h[8];     /* chaining state */
    uint32_t total_lo; /* bytes hashed so far (64 bits, as two words) */
    uint32_t total_hi;
    uint8_t block[64]; /* a partial block */
    uint32_t fill;     /* bytes in block */
};

/** Start a hash. */
void cmrx_sha256_init(struct cmrx_sha256 *s);

/** Hash @p len more bytes from @p data. */
void cmrx_sha256_update(struct cmrx_sha256 *s, const void *data, size_t len);

/** Finish: the digest into @p out (32 bytes). @p s must be initialised again for reuse. */
void cmrx_sha256_final(struct cmrx_sha256 *s, uint8_t out[CMRX_SHA256_LEN]);

#endif
