/* SHA-256 (kernel/src/sha256.c) against FIPS 180-4's examples and lengths
 * around the padding boundaries, whole and fed in pieces. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "sha256.h"

static void hex(const uint8_t *d, char out[65])
{
    for (unsigned i = 0; i < 32; i++) {
        snprintf(out + 2 * i, 3, "%02x", d[i]);
    }
}

/* The digest of msg[0..len) fed in pieces of `piece` bytes (0: at once). */
static void digest(const void *msg, size_t len, size_t piece, char out[65])
{
    struct cmrx_sha256 s;
    uint8_t d[32];
    cmrx_sha256_init(&s);
    const uint8_t *p = msg;
    size_t left = len;
    while (left > 0) {
        size_t n = piece == 0 || piece > left ? left : piece;
        cmrx_sha256_update(&s, p, n);
        p += n;
        left -= n;
    }
    cmrx_sha256_final(&s, d);
    hex(d, out);
}

static void check(const void *msg, size_t len, const char *expect)
{
    static const size_t pieces[] = {0, 1, 3, 63, 64, 65};
    for (size_t i = 0; i < sizeof(pieces) / sizeof(pieces[0]); i++) {
        char got[65];
        digest(msg, len, pieces[i], got);
        assert_string_equal(got, expect);
    }
}

static void fips_examples(void **state)
{
    (void)state;
    check("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    check("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    check(two, strlen(two), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void million_a(void **state)
{
    (void)state;
    static char a[1000000];
    memset(a, 'a', sizeof(a));
    check(a, sizeof(a), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

/* 55 bytes pad into one block, 56 need a second; 64 and 65 cross one. */
static void padding_boundaries(void **state)
{
    (void)state;
    static const struct {
        size_t len;
        const char *sha;
    } v[] = {
        {55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"},
        {56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"},
        {63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"},
        {64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"},
        {65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"},
        {119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb"},
    };
    char a[128];
    memset(a, 'a', sizeof(a));
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        check(a, v[i].len, v[i].sha);
    }
}

/* One flipped bit changes the digest. */
static void flipped_bit(void **state)
{
    (void)state;
    char a[100], x[65], y[65];
    memset(a, 'a', sizeof(a));
    digest(a, sizeof(a), 0, x);
    a[50] ^= 1;
    digest(a, sizeof(a), 0, y);
    assert_string_not_equal(x, y);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fips_examples),
        cmocka_unit_test(million_a),
        cmocka_unit_test(padding_boundaries),
        cmocka_unit_test(flipped_bit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
