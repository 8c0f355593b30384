/* cmrx.lock: parse; a lock that parses emits text that parses to the same. */
#include "fuzz.h"
#include "lock.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct lock l, again;
    struct err e = {0};
    int rc = lock_parse("cmrx.lock", (const char *)data, size, &l, &e);
    FUZZ_FAILED_WELL(rc, e);
    if (rc != 0) {
        return 0;
    }
    char *text;
    size_t len;
    FUZZ_CHECK(lock_emit(&l, &text, &len, &e) == 0);
    FUZZ_CHECK(lock_parse("cmrx.lock", text, len, &again, &e) == 0);
    FUZZ_CHECK(again.n == l.n);
    for (size_t i = 0; i < l.n; i++) {
        FUZZ_CHECK(lock_pkg_equal(lock_find(&again, l.pkgs[i].name), &l.pkgs[i]));
    }
    lock_free(&again);
    lock_free(&l);
    free(text);
    return 0;
}
