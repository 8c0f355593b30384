/* bsp.yaml: parse and check a board manifest. */
#include "bsp.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct bsp b;
    struct err e = {0};
    int rc = bsp_parse("bsp.yaml", (const char *)data, size, &b, &e);
    FUZZ_FAILED_WELL(rc, e);
    if (rc == 0) {
        FUZZ_CHECK(cpu_find(b.cpu) != NULL && fpu_flags(b.fpu) != NULL);
        bsp_free(&b);
    }
    return 0;
}
