/* The kernel trace's decoder (cli/src/build/trace.c): a dump as the kernel
 * writes it decodes into events, slices and a CPU table; a truncated,
 * garbled or tampered one is refused with a message that says what is
 * wrong, and leaves nothing decoded. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "text.h"
#include "trace.h"

struct rec {
    uint32_t time;
    uint8_t type, thread, a, b;
    uint32_t arg;
};

/* Thread 0 of process "app" calls svc.read (depth 1), which calls
 * drv.poll (depth 2); both return; the idle thread runs; an interrupt. */
static const struct rec script[] = {
    {0, TRACE_START, 0, 0, 0, 0x1001},       {0, TRACE_START, 1, 255, 0, 0x1101},
    {0, TRACE_SWITCH, 0, 0, 0, 0},           {100, TRACE_CALL, 0, 1, 1, 0x2001},
    {200, TRACE_CALL, 0, 2, 2, 0x3001},      {300, TRACE_RETURN, 0, 1, 1, 7},
    {400, TRACE_RETURN, 0, 0, 0, 8},         {500, TRACE_NOTIFY, 0, 1, 0, 0x20000100},
    {600, TRACE_SWITCH, 1, 255, 0, 0},       {0xFFFFFF00u, TRACE_IRQ, 1, 0, 0, 5},
    {0x00000100u, TRACE_SWITCH, 0, 0, 0, 0},
};
#define N_SCRIPT (sizeof(script) / sizeof(script[0]))

/* The dump of script[] (with @p size events of ring), as the kernel prints it. */
static char *dump(uint32_t size, uint32_t written)
{
    char *out = NULL;
    size_t len;
    FILE *f = xmemstream(&out, &len);
    fprintf(f, "[cmrx] shutdown by process app, code 0\r\n");
    fprintf(f, TRACE_PREFIX "begin v1 hz=1000000 size=%u written=%u now=00000200\r\n", size,
            written);
    fprintf(f, TRACE_PREFIX "p 0 app\r\n" TRACE_PREFIX "p 1 svc\r\n" TRACE_PREFIX
                            "p 2 drv\r\n" TRACE_PREFIX "p 255 idle\r\n" TRACE_PREFIX
                            "t 0 0\r\n" TRACE_PREFIX "t 1 255\r\n");
    uint32_t sum = 2166136261u;
    for (size_t i = N_SCRIPT - (written < size ? written : size); i < N_SCRIPT; i++) {
        const struct rec *r = &script[i];
        uint8_t b[12] = {(uint8_t)r->time,
                         (uint8_t)(r->time >> 8),
                         (uint8_t)(r->time >> 16),
                         (uint8_t)(r->time >> 24),
                         r->type,
                         r->thread,
                         r->a,
                         r->b,
                         (uint8_t)r->arg,
                         (uint8_t)(r->arg >> 8),
                         (uint8_t)(r->arg >> 16),
                         (uint8_t)(r->arg >> 24)};
        fputs(TRACE_PREFIX "e ", f);
        for (int k = 0; k < 12; k++) {
            sum = (sum ^ b[k]) * 16777619u;
            fprintf(f, "%02x", b[k]);
        }
        fputs("\r\n", f);
    }
    fprintf(f, TRACE_PREFIX "end sum=%08x\r\n", sum);
    fclose(f);
    return out;
}

static char *namer(void *ctx, uint32_t addr)
{
    (void)ctx;
    switch (addr) {
    case 0x1001:
        return xstrdup("main");
    case 0x2001:
        return xstrdup("read");
    case 0x3001:
        return xstrdup("poll");
    default:
        return NULL;
    }
}

static const cJSON *find_slice(const cJSON *list, const char *name)
{
    const cJSON *ev;
    cJSON_ArrayForEach(ev, list)
    {
        const cJSON *n = cJSON_GetObjectItem(ev, "name");
        const cJSON *ph = cJSON_GetObjectItem(ev, "ph");
        if (strcmp(n->valuestring, name) == 0 && strcmp(ph->valuestring, "X") == 0) {
            return ev;
        }
    }
    return NULL;
}

static double num(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItem(o, key);
    assert_non_null(v);
    return v->valuedouble;
}

static void test_a_dump_decodes_into_nested_slices(void **state)
{
    (void)state;
    char *text = dump(16, N_SCRIPT);
    struct trace t = {0};
    struct err e = {0};
    assert_int_equal(trace_parse(text, &t, &e), 0);
    assert_int_equal(t.n, N_SCRIPT);
    assert_string_equal(t.procs[1], "svc");
    assert_int_equal(t.home[0], 0);
    /* The clock wrapped between the interrupt and the last switch. */
    assert_int_equal(t.ev[N_SCRIPT - 1].time, 0x100000100ull);
    assert_int_equal(t.end, 0x100000200ull);

    char *json = trace_chrome_json(&t, namer, NULL);
    cJSON *root = cJSON_Parse(json);
    assert_non_null(root);
    const cJSON *list = cJSON_GetObjectItem(root, "traceEvents");
    const cJSON *outer = find_slice(list, "svc.read");
    const cJSON *inner = find_slice(list, "drv.poll");
    assert_non_null(outer);
    assert_non_null(inner);
    assert_true(num(outer, "ts") == 100 && num(outer, "dur") == 300);
    assert_true(num(inner, "ts") == 200 && num(inner, "dur") == 100);
    assert_true(num(inner, "tid") == num(outer, "tid"));
    const cJSON *args = cJSON_GetObjectItem(inner, "args");
    assert_string_equal(cJSON_GetObjectItem(args, "caller")->valuestring, "svc");
    assert_int_equal(cJSON_GetObjectItem(args, "result")->valueint, 7);
    /* The thread's track is named process/function. */
    assert_non_null(strstr(json, "\"app/main\""));
    assert_non_null(strstr(json, "\"irq 5\""));
    cJSON_Delete(root);
    free(json);

    char *table = NULL;
    size_t len;
    FILE *f = xmemstream(&table, &len);
    trace_cpu_table(&t, namer, NULL, f);
    fclose(f);
    /* app ran 0..600 and from the wrap's 0x100000100 to the end (0x100 more). */
    assert_non_null(strstr(table, "app/main"));
    assert_non_null(strstr(table, "       856.0"));
    free(table);
    trace_free(&t);
    free(text);
}

static void test_a_ring_that_overflowed_says_how_much_was_lost(void **state)
{
    (void)state;
    char *text = dump(6, 1000);
    struct trace t = {0};
    struct err e = {0};
    assert_int_equal(trace_parse(text, &t, &e), 0);
    assert_int_equal(t.n, 6);
    char *table = NULL;
    size_t len;
    FILE *f = xmemstream(&table, &len);
    trace_cpu_table(&t, namer, NULL, f);
    fclose(f);
    assert_non_null(strstr(table, "994 older ones lost"));
    /* The returns of calls made before the ring's window make no slice. */
    char *json = trace_chrome_json(&t, namer, NULL);
    assert_null(strstr(json, "svc.read"));
    free(json);
    free(table);
    trace_free(&t);
    free(text);
}

/* Each bad variant is refused with a message containing @p why, and decodes nothing. */
static void refused(const char *text, const char *why)
{
    struct trace t = {0};
    struct err e = {0};
    assert_int_equal(trace_parse(text, &t, &e), -1);
    if (strstr(e.msg, why) == NULL) {
        fail_msg("'%s' does not say '%s'", e.msg, why);
    }
    assert_int_equal(t.n, 0);
    assert_null(t.ev);
}

static void test_bad_dumps_are_refused_with_a_reason(void **state)
{
    (void)state;
    char *good = dump(16, N_SCRIPT);
    refused("[cmrx] hello\n", "holds no kernel trace");
    /* Cut off in the middle of the events. */
    char *cut = xstrdup(good);
    *strstr(cut, TRACE_PREFIX "e 64") = '\0';
    refused(cut, "cut short: 3 of its 16 events");
    /* A hex digit turned into something else. */
    char *v = text_replace(good, "e 64000000", "e 64z00000");
    refused(v, "garbled event");
    free(v);
    /* A bit flipped: the checksum catches it. */
    v = text_replace(good, "e 64000000", "e 65000000");
    refused(v, "checksum does not match");
    free(v);
    /* An event line lost. */
    char *lost = xstrdup(good);
    char *line = strstr(lost, TRACE_PREFIX "e 64");
    char *next = strchr(line, '\n') + 1;
    memmove(line, next, strlen(next) + 1);
    refused(lost, "has 10 events where its header says 11");
    v = text_replace(good, "e 6400000002", "e 6400000063");
    refused(v, "unknown type 99");
    free(v);
    v = text_replace(good, TRACE_PREFIX "e 64", "sensor: hello\r\n" TRACE_PREFIX "e 64");
    refused(v, "interrupted by other output after 3 events");
    free(v);
    v = text_replace(good, "begin v1", "begin v7");
    refused(v, "version this cmrx does not read");
    free(v);
    v = text_replace(good, "hz=1000000", "hz=0");
    refused(v, "garbled header");
    free(v);
    v = text_replace(good, "size=16", "size=2");
    refused(v, "more events than its header's size (2)");
    free(v);
    v = text_replace(good, "p 2 drv", "p 300 drv");
    refused(v, "garbled process line");
    free(v);
    v = text_replace(good, "e 64000000", "e 6400000002000101");
    refused(v, "longer than 12 bytes");
    free(v);
    v = text_replace(good, "end sum=", "end sum=zz");
    refused(v, "garbled end line");
    free(v);
    free(lost);
    free(cut);
    free(good);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_dump_decodes_into_nested_slices),
        cmocka_unit_test(test_a_ring_that_overflowed_says_how_much_was_lost),
        cmocka_unit_test(test_bad_dumps_are_refused_with_a_reason),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
