/* cmrx.yaml: parse; a manifest that parses emits text that parses to the
 * same, and survives the edits cmrx add and cmrx remove make. */
#include "fuzz.h"
#include "manifest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct manifest m, again;
    struct err e = {0};
    int rc = manifest_parse("cmrx.yaml", (const char *)data, size, &m, &e);
    FUZZ_FAILED_WELL(rc, e);
    if (rc != 0) {
        return 0;
    }
    char *text;
    size_t len;
    FUZZ_CHECK(manifest_emit(&m, &text, &len, &e) == 0);
    FUZZ_CHECK(manifest_parse("cmrx.yaml", text, len, &again, &e) == 0);
    FUZZ_CHECK(manifest_equal(&m, &again));
    manifest_free(&again);
    free(text);
    static const struct manifest_edit edits[] = {{EDIT_SET_DEP, "comp", "^1.2"},
                                                 {EDIT_SET_KERNEL, NULL, ">=0.1, <2"}};
    for (size_t i = 0; i < sizeof(edits) / sizeof(edits[0]); i++) {
        bool lost;
        if (manifest_edit("cmrx.yaml", (const char *)data, size, &edits[i], &text, &len, &lost,
                          &e) == 0) {
            FUZZ_CHECK(manifest_parse("cmrx.yaml", text, len, &again, &e) == 0);
            manifest_free(&again);
            free(text);
        }
    }
    if (m.n_deps > 0) {
        struct manifest_edit rm = {EDIT_REMOVE_DEP, m.deps[0].name, NULL};
        bool lost;
        if (manifest_edit("cmrx.yaml", (const char *)data, size, &rm, &text, &len, &lost, &e) ==
            0) {
            FUZZ_CHECK(manifest_parse("cmrx.yaml", text, len, &again, &e) == 0);
            FUZZ_CHECK(manifest_dep(&again, rm.name) == NULL);
            manifest_free(&again);
            free(text);
        }
    }
    manifest_free(&m);
    return 0;
}
