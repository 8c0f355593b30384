/* index.json: parse and validate a registry index. */
#include "fuzz.h"
#include "registry.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct registry r;
    struct err e = {0};
    int rc = registry_parse("index.json", (const char *)data, size, &r, &e);
    FUZZ_FAILED_WELL(rc, e);
    if (rc == 0) {
        for (size_t i = 0; i < r.n_pkgs; i++) {
            FUZZ_CHECK(registry_find(&r, r.pkgs[i].name) == &r.pkgs[i]);
        }
        registry_free(&r);
    }
    return 0;
}
