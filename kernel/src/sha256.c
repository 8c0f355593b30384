/* SHA-256 as FIPS 180-4 defines it (section 6.2), one 64-byte block at a
 * time; a block's 64 rounds can be run a few at a time, so that the kernel
 * hashes an image in slices, one per tick, and no kernel path runs long. */
#include "sha256.h"

#include <string.h>

/* First 32 bits of the fractional parts of the cube roots of the first 64
 * primes (FIPS 180-4, 4.2.2). */
static const uint32_t K[64] = {
    0x428a2f98u, 0x71374491u, 0xb5c0fbcfu, 0xe9b5dba5u, 0x3956c25bu, 0x59f111f1u, 0x923f82a4u,
    0xab1c5ed5u, 0xd807aa98u, 0x12835b01u, 0x243185beu, 0x550c7dc3u, 0x72be5d74u, 0x80deb1feu,
    0x9bdc06a7u, 0xc19bf174u, 0xe49b69c1u, 0xefbe4786u, 0x0fc19dc6u, 0x240ca1ccu, 0x2de92c6fu,
    0x4a7484aau, 0x5cb0a9dcu, 0x76f988dau, 0x983e5152u, 0xa831c66du, 0xb00327c8u, 0xbf597fc7u,
    0xc6e00bf3u, 0xd5a79147u, 0x06ca6351u, 0x14292967u, 0x27b70a85u, 0x2e1b2138u, 0x4d2c6dfcu,
    0x53380d13u, 0x650a7354u, 0x766a0abbu, 0x81c2c92eu, 0x92722c85u, 0xa2bfe8a1u, 0xa81a664bu,
    0xc24b8b70u, 0xc76c51a3u, 0xd192e819u, 0xd6990624u, 0xf40e3585u, 0x106aa070u, 0x19a4c116u,
    0x1e376c08u, 0x2748774cu, 0x34b0bcb5u, 0x391c0cb3u, 0x4ed8aa4au, 0x5b9cca4fu, 0x682e6ff3u,
    0x748f82eeu, 0x78a5636fu, 0x84c87814u, 0x8cc70208u, 0x90befffau, 0xa4506cebu, 0xbef9a3f7u,
    0xc67178f2u,
};

/* FIPS 180-4, 5.3.3: square roots of the first 8 primes. */
const uint32_t cmrx_sha256_iv[8] = {0x6a09e667u, 0xbb67ae85u, 0x3c6ef372u, 0xa54ff53au,
                                    0x510e527fu, 0x9b05688cu, 0x1f83d9abu, 0x5be0cd19u};

static uint32_t ror(uint32_t x, unsigned n)
{
    return (x >> n) | (x << (32u - n));
}

static uint32_t load_be(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static void store_be(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

void cmrx_sha256_block_begin(struct cmrx_sha256_block *c, const uint32_t h[8],
                             const uint8_t block[64])
{
    /* The message schedule as a ring of 16 words: W[t] for t >= 16 only
     * needs the 16 before it. */
    for (unsigned t = 0; t < 16; t++) {
        c->w[t] = load_be(block + 4 * t);
    }
    memcpy(c->v, h, sizeof(c->v));
    c->round = 0;
}

bool cmrx_sha256_block_rounds(struct cmrx_sha256_block *c, uint32_t h[8], unsigned n)
{
    uint32_t *w = c->w;
    uint32_t a = c->v[0], b = c->v[1], cc = c->v[2], d = c->v[3], e = c->v[4], f = c->v[5],
             g = c->v[6], hh = c->v[7];
    unsigned t = c->round, end = t + n < 64u ? t + n : 64u;
    for (; t < end; t++) {
        if (t >= 16) {
            uint32_t w15 = w[(t - 15) & 15], w2 = w[(t - 2) & 15];
            uint32_t s0 = ror(w15, 7) ^ ror(w15, 18) ^ (w15 >> 3);
            uint32_t s1 = ror(w2, 17) ^ ror(w2, 19) ^ (w2 >> 10);
            w[t & 15] += s0 + w[(t - 7) & 15] + s1;
        }
        uint32_t t1 =
            hh + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g)) + K[t] + w[t & 15];
        uint32_t t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) ^ (a & cc) ^ (b & cc));
        hh = g;
        g = f;
        f = e;
        e = d + t1;
        d = cc;
        cc = b;
        b = a;
        a = t1 + t2;
    }
    c->round = t;
    if (t < 64u) {
        const uint32_t v[8] = {a, b, cc, d, e, f, g, hh};
        memcpy(c->v, v, sizeof(v));
        return false;
    }
    h[0] += a;
    h[1] += b;
    h[2] += cc;
    h[3] += d;
    h[4] += e;
    h[5] += f;
    h[6] += g;
    h[7] += hh;
    return true;
}

static void compress(uint32_t h[8], const uint8_t *block)
{
    struct cmrx_sha256_block c;
    cmrx_sha256_block_begin(&c, h, block);
    cmrx_sha256_block_rounds(&c, h, 64u);
}

void cmrx_sha256_init(struct cmrx_sha256 *s)
{
    memcpy(s->h, cmrx_sha256_iv, sizeof(s->h));
    s->total_lo = 0;
    s->total_hi = 0;
    s->fill = 0;
}

void cmrx_sha256_update(struct cmrx_sha256 *s, const void *data, size_t len)
{
    const uint8_t *p = data;
    while (len > 0) {
        size_t n = 64u - s->fill;
        if (n > len) {
            n = len;
        }
        if (s->fill == 0 && len >= 64u) {
            compress(s->h, p); /* whole blocks straight from the input */
            n = 64u;
        } else {
            memcpy(s->block + s->fill, p, n);
            s->fill += (uint32_t)n;
            if (s->fill == 64u) {
                compress(s->h, s->block);
                s->fill = 0;
            }
        }
        uint32_t lo = s->total_lo + (uint32_t)n;
        s->total_hi += lo < s->total_lo;
        s->total_lo = lo;
        p += n;
        len -= n;
    }
}

void cmrx_sha256_final(struct cmrx_sha256 *s, uint8_t out[CMRX_SHA256_LEN])
{
    /* Padding (5.1.1): a 1 bit, zeros, and the length in bits as 64 bits. */
    uint32_t bits_hi = s->total_hi << 3 | s->total_lo >> 29;
    uint32_t bits_lo = s->total_lo << 3;
    s->block[s->fill++] = 0x80u;
    if (s->fill > 56u) {
        memset(s->block + s->fill, 0, 64u - s->fill);
        compress(s->h, s->block);
        s->fill = 0;
    }
    memset(s->block + s->fill, 0, 56u - s->fill);
    store_be(s->block + 56, bits_hi);
    store_be(s->block + 60, bits_lo);
    compress(s->h, s->block);
    for (unsigned i = 0; i < 8; i++) {
        store_be(out + 4 * i, s->h[i]);
    }
}
