/* Versions and version constraints: the input, up to its first newline, is
 * a constraint; the rest are versions it is matched against. A version
 * that parses formats back to itself. */
#include <stdio.h>

#include "fuzz.h"
#include "semver.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_string(data, size);
    char *nl = strchr(text, '\n');
    if (nl != NULL) {
        *nl = '\0';
    }
    struct constraint c;
    struct err e = {0};
    int crc = constraint_parse(text, &c, &e);
    FUZZ_FAILED_WELL(crc, e);
    for (char *v = nl ? nl + 1 : NULL; v != NULL && *v;) {
        char *end = strchr(v, '\n');
        if (end != NULL) {
            *end = '\0';
        }
        struct semver sv, back;
        struct err ve = {0};
        int rc = semver_parse(v, &sv, &ve);
        FUZZ_FAILED_WELL(rc, ve);
        if (rc == 0) {
            char buf[200];
            semver_format(&sv, buf, sizeof(buf));
            FUZZ_CHECK(strcmp(buf, v) == 0);
            FUZZ_CHECK(semver_parse(buf, &back, &ve) == 0 && semver_compare(&sv, &back) == 0);
            if (crc == 0) {
                (void)constraint_match(&c, &sv);
            }
        }
        v = end ? end + 1 : NULL;
    }
    free(text);
    return 0;
}
