/* The kernel trace's dump (cmrx trace): parse; a dump that parses makes
 * JSON that cJSON reads back and a CPU table; one that does not leaves
 * nothing decoded. */
#include <cjson/cJSON.h>
#include <stdio.h>

#include "fsutil.h"
#include "fuzz.h"
#include "trace.h"

static char *no_names(void *ctx, uint32_t addr)
{
    (void)ctx;
    return addr & 1u ? xstrdup("f") : NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_string(data, size);
    struct trace t = {0};
    struct err e = {0};
    int rc = trace_parse(text, &t, &e);
    FUZZ_FAILED_WELL(rc, e);
    if (rc != 0) {
        FUZZ_CHECK(t.n == 0 && t.ev == NULL);
        free(text);
        return 0;
    }
    FUZZ_CHECK(t.n <= t.size);
    char *json = trace_chrome_json(&t, no_names, NULL);
    cJSON *doc = cJSON_Parse(json);
    FUZZ_CHECK(doc != NULL && cJSON_IsArray(cJSON_GetObjectItem(doc, "traceEvents")));
    cJSON_Delete(doc);
    FILE *out = fopen("/dev/null", "w");
    trace_cpu_table(&t, no_names, NULL, out);
    fclose(out);
    free(json);
    trace_free(&t);
    free(text);
    return 0;
}
