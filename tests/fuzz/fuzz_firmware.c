/* The CMake SDK's firmware description (layout.in), read by cmrx-sdk. */
#include "firmware.h"
#include "fuzz.h"
#include "gen.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct firmware fw;
    struct err e = {0};
    int rc = fw_parse_text("layout.in", (const char *)data, size, &fw, &e);
    FUZZ_FAILED_WELL(rc, e);
    if (rc == 0) {
        rc = gen_check(&fw, &e);
        FUZZ_FAILED_WELL(rc, e);
        fw_free(&fw);
    }
    return 0;
}
