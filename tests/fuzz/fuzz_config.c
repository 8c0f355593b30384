/* The user's configuration file (mirrors). */
#include "config.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct config c = {0};
    struct err e = {0};
    int rc = config_parse(&c, "/home/u/.config/cmrx/config.yaml", (const char *)data, size, &e);
    FUZZ_FAILED_WELL(rc, e);
    if (rc == 0) {
        const struct config_mirror *m = config_mirror_for(&c, "https://example.com/a/b.git");
        if (m != NULL) {
            free(config_mirror_url(m, "https://example.com/a/b.git"));
        }
    }
    config_free(&c);
    return 0;
}
