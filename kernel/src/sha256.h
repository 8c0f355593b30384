/* SHA-256 (FIPS 180-4), written for CMRX: the kernel verifies staged
 * process images with it and cmrx-sdk seals them. Plain C, no hardware:
 * the same file builds for the kernel, the host helper and unit tests. */
#ifndef CMRX_SHA256_H
#define CMRX_SHA256_H

#include <stdbool.h>
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

/** The chaining state a hash starts from. */
extern const uint32_t cmrx_sha256_iv[8];

/* One block's compression, in progress (FIPS 180-4, 6.2.2). */
struct cmrx_sha256_block {
    uint32_t w[16]; /* the message schedule's last 16 words */
    uint32_t v[8];  /* the working variables a..h */
    uint32_t round; /* rounds done, 0..64 */
};

/** Start compressing the 64-byte @p block into chaining state @p h. */
void cmrx_sha256_block_begin(struct cmrx_sha256_block *c, const uint32_t h[8],
                             const uint8_t block[64]);

/**
 * Run up to @p n more rounds of the block @p c; after the 64th, add the
 * result into @p h. @return true once the block is done.
 */
bool cmrx_sha256_block_rounds(struct cmrx_sha256_block *c, uint32_t h[8], unsigned n);

/** Start a hash. */
void cmrx_sha256_init(struct cmrx_sha256 *s);

/** Hash @p len more bytes from @p data. */
void cmrx_sha256_update(struct cmrx_sha256 *s, const void *data, size_t len);

/** Finish: the digest into @p out (32 bytes). @p s must be initialised again for reuse. */
void cmrx_sha256_final(struct cmrx_sha256 *s, uint8_t out[CMRX_SHA256_LEN]);

#endif
