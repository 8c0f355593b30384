/* The kernel trace, decoded (trace.h). The dump's format is the kernel's
 * (kernel/src/trace.c): one home for it there, read here. */
#include "trace.h"

#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"

#define REC_BYTES 12u
#define MAX_DEPTH 16u /* deeper than the kernel allows (CMRX_RPC_MAX_DEPTH): garbled */

void trace_free(struct trace *t)
{
    for (size_t i = 0; i < TRACE_MAX_PROC; i++) {
        free(t->procs[i]);
    }
    free(t->ev);
    memset(t, 0, sizeof(*t));
    for (size_t i = 0; i < TRACE_MAX_PROC; i++) {
        t->home[i] = -1;
    }
}

double trace_us(const struct trace *t, uint64_t counts)
{
    return t->hz != 0 ? (double)counts * 1e6 / (double)t->hz : 0.0;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    return -1;
}

/* A decimal number < 2^32 that ends at a space or the end of @p s. */
static bool number(const char *s, const char **end, uint32_t *out)
{
    uint64_t v = 0;
    const char *p = s;
    while (*p >= '0' && *p <= '9' && v <= 0xFFFFFFFFu) {
        v = v * 10u + (uint64_t)(*p++ - '0');
    }
    if (p == s || v > 0xFFFFFFFFu || (*p != ' ' && *p != '\0')) {
        return false;
    }
    *out = (uint32_t)v;
    *end = p;
    return true;
}

/* "KEY=VALUE" at *p, VALUE decimal (or 8 hex digits with @p hex). */
static bool field(const char **p, const char *key, bool hex, uint32_t *out)
{
    size_t k = strlen(key);
    const char *s = *p;
    while (*s == ' ') {
        s++;
    }
    if (strncmp(s, key, k) != 0 || s[k] != '=') {
        return false;
    }
    s += k + 1;
    if (hex) {
        uint32_t v = 0;
        for (unsigned i = 0; i < 8; i++) {
            int d = hexval(s[i]);
            if (d < 0) {
                return false;
            }
            v = v << 4 | (uint32_t)d;
        }
        if (s[8] != ' ' && s[8] != '\0') {
            return false;
        }
        *out = v;
        *p = s + 8;
        return true;
    }
    return number(s, p, out);
}

static bool known_type(unsigned type)
{
    return type >= TRACE_SWITCH && type <= TRACE_EXIT;
}

/* One line of the dump (without its prefix and line end) into t. */
static int parse_line(struct trace *t, const char *s, unsigned lineno, uint32_t *sum,
                      uint32_t *raw_prev, uint32_t *raw_first, bool *ended, uint32_t *end_sum,
                      struct err *e)
{
    const char *p;
    uint32_t a, b;
    if (s[0] == 'p' && s[1] == ' ') {
        if (!number(s + 2, &p, &a) || a >= TRACE_MAX_PROC || *p != ' ' || p[1] == '\0') {
            return err_set(e, "console line %u: a garbled process line in the kernel trace",
                           lineno);
        }
        free(t->procs[a]);
        t->procs[a] = xstrdup(p + 1);
        return 0;
    }
    if (s[0] == 't' && s[1] == ' ') {
        if (!number(s + 2, &p, &a) || a >= TRACE_MAX_PROC || *p != ' ' || !number(p + 1, &p, &b) ||
            b >= TRACE_MAX_PROC || *p != '\0') {
            return err_set(e, "console line %u: a garbled thread line in the kernel trace", lineno);
        }
        t->home[a] = (int)b;
        return 0;
    }
    if (s[0] == 'e' && s[1] == ' ') {
        uint8_t r[REC_BYTES];
        const char *h = s + 2;
        for (unsigned i = 0; i < REC_BYTES; i++) {
            int hi = hexval(h[2 * i]), lo = hi < 0 ? -1 : hexval(h[2 * i + 1]);
            if (lo < 0) {
                return err_set(e,
                               "console line %u: a garbled event in the kernel trace (%u of %u "
                               "bytes readable)",
                               lineno, i, REC_BYTES);
            }
            r[i] = (uint8_t)(hi << 4 | lo);
        }
        if (h[2 * REC_BYTES] != '\0') {
            return err_set(e,
                           "console line %u: an event of the kernel trace is longer than %u "
                           "bytes",
                           lineno, REC_BYTES);
        }
        if (t->n >= t->size) {
            return err_set(e,
                           "console line %u: the kernel trace has more events than its "
                           "header's size (%" PRIu32 ")",
                           lineno, t->size);
        }
        for (unsigned i = 0; i < REC_BYTES; i++) {
            *sum = (*sum ^ r[i]) * 16777619u;
        }
        uint32_t raw =
            (uint32_t)r[0] | (uint32_t)r[1] << 8 | (uint32_t)r[2] << 16 | (uint32_t)r[3] << 24;
        if (!known_type(r[4])) {
            return err_set(e, "console line %u: an event of unknown type %u in the kernel trace",
                           lineno, r[4]);
        }
        struct trace_event *ev = &t->ev[t->n];
        if (t->n == 0) {
            *raw_first = raw;
            ev->time = 0;
        } else {
            ev->time = t->ev[t->n - 1].time + (uint32_t)(raw - *raw_prev);
        }
        *raw_prev = raw;
        ev->type = r[4];
        ev->thread = r[5];
        ev->a = r[6];
        ev->b = r[7];
        ev->arg =
            (uint32_t)r[8] | (uint32_t)r[9] << 8 | (uint32_t)r[10] << 16 | (uint32_t)r[11] << 24;
        t->n++;
        return 0;
    }
    if (strncmp(s, "end", 3) == 0) {
        p = s + 3;
        if (!field(&p, "sum", true, end_sum) || *p != '\0') {
            return err_set(e, "console line %u: a garbled end line of the kernel trace", lineno);
        }
        *ended = true;
        return 0;
    }
    return err_set(e, "console line %u: '%.40s' is no line of the kernel trace", lineno, s);
}

int trace_parse(const char *text, struct trace *t, struct err *e)
{
    trace_free(t);
    /* The last dump in the output (a firmware that reset dumped once per run at most). */
    const char *begin = NULL;
    unsigned begin_line = 0, lineno = 1;
    for (const char *s = text; *s;) {
        if (strncmp(s, TRACE_PREFIX "begin", strlen(TRACE_PREFIX "begin")) == 0) {
            begin = s;
            begin_line = lineno;
        }
        const char *nl = strchr(s, '\n');
        if (nl == NULL) {
            break;
        }
        s = nl + 1;
        lineno++;
    }
    if (begin == NULL) {
        err_set(e, "the console output holds no kernel trace (no '" TRACE_PREFIX "begin' line)");
        return err_hint(e, "the kernel puts its trace out when the firmware ends with "
                           "cmrx_shutdown() (or panics): a firmware that never ends, or one "
                           "built without CMRX_TRACE, has none");
    }
    uint32_t sum = 2166136261u, end_sum = 0, raw_prev = 0, raw_first = 0, now = 0;
    bool ended = false;
    int rc = 0;
    lineno = begin_line;
    char *line = NULL;
    for (const char *s = begin; rc == 0 && !ended; lineno++) {
        if (*s == '\0') {
            rc = err_set(e,
                         "the kernel trace is cut short: %zu of its %" PRIu32
                         " events, and no end line (the console output ends first)",
                         t->n, t->size);
            err_hint(e, "the firmware or QEMU stopped while the kernel was putting it out");
            break;
        }
        const char *nl = strchr(s, '\n');
        size_t len = nl != NULL ? (size_t)(nl - s) : strlen(s);
        free(line);
        line = xmalloc(len + 1);
        memcpy(line, s, len);
        line[len] = '\0';
        while (len > 0 && (line[len - 1] == '\r' || line[len - 1] == ' ')) {
            line[--len] = '\0';
        }
        s = nl != NULL ? nl + 1 : s + len;
        if (strncmp(line, TRACE_PREFIX, strlen(TRACE_PREFIX)) != 0) {
            rc = err_set(e,
                         "console line %u: the kernel trace is interrupted by other output "
                         "after %zu events",
                         lineno, t->n);
            break;
        }
        const char *body = line + strlen(TRACE_PREFIX);
        if (lineno == begin_line) {
            const char *p = body + strlen("begin");
            uint32_t version = 0;
            if (strncmp(p, " v", 2) == 0) {
                const char *q;
                if (number(p + 2, &q, &version)) {
                    p = q;
                }
            }
            if (version != 1) {
                rc = err_set(e,
                             "console line %u: a kernel trace of a version this cmrx does not "
                             "read (it reads v1)",
                             lineno);
                break;
            }
            if (!field(&p, "hz", false, &t->hz) || !field(&p, "size", false, &t->size) ||
                !field(&p, "written", false, &t->written) || !field(&p, "now", true, &now) ||
                *p != '\0' || t->hz == 0 || t->size == 0 || t->size > (1u << 20)) {
                rc = err_set(e, "console line %u: a garbled header of the kernel trace", lineno);
                break;
            }
            t->ev = xcalloc(t->size, sizeof(*t->ev));
            continue;
        }
        rc = parse_line(t, body, lineno, &sum, &raw_prev, &raw_first, &ended, &end_sum, e);
    }
    free(line);
    uint32_t expect = t->written < t->size ? t->written : t->size;
    if (rc == 0 && t->n != expect) {
        rc = err_set(e,
                     "the kernel trace has %zu events where its header says %" PRIu32
                     ": lines were lost on the console",
                     t->n, expect);
    }
    if (rc == 0 && sum != end_sum) {
        rc = err_set(e,
                     "the kernel trace's checksum does not match (%08" PRIx32 ", its end line "
                     "says %08" PRIx32 "): the console garbled it",
                     sum, end_sum);
    }
    if (rc != 0) {
        trace_free(t);
        return -1;
    }
    t->end = t->n > 0 ? t->ev[t->n - 1].time + (uint32_t)(now - raw_prev) : 0;
    for (size_t i = 0; i < t->n; i++) {
        if (t->ev[i].type == TRACE_START && t->ev[i].thread != TRACE_NO_SLOT) {
            t->home[t->ev[i].thread] = t->ev[i].a;
            t->entry[t->ev[i].thread] = t->ev[i].arg;
        }
    }
    (void)raw_first;
    return 0;
}

/* ---- names ------------------------------------------------------------------ */

static char *proc_name(const struct trace *t, unsigned i)
{
    return t->procs[i] != NULL ? xstrdup(t->procs[i]) : xasprintf("process%u", i);
}

static char *code_name(trace_namer name, void *ctx, uint32_t addr)
{
    char *n = name != NULL && addr != 0 ? name(ctx, addr) : NULL;
    return n != NULL ? n : xasprintf("0x%08" PRIx32, addr);
}

/* "process/thread": the home process and the entry function. */
static char *thread_name(const struct trace *t, unsigned slot, trace_namer name, void *ctx)
{
    if (slot >= TRACE_MAX_PROC || t->home[slot] < 0) {
        return xasprintf("thread%u", slot);
    }
    char *home = proc_name(t, (unsigned)t->home[slot]);
    if (t->home[slot] == (int)TRACE_IDLE) {
        return home;
    }
    char *entry = t->entry[slot] != 0 && name != NULL ? name(ctx, t->entry[slot]) : NULL;
    char *out =
        entry != NULL ? xasprintf("%s/%s", home, entry) : xasprintf("%s/thread%u", home, slot);
    free(entry);
    free(home);
    return out;
}

/* ---- Chrome's trace event format ----------------------------------------------- */

/* Process ids: a process's is its index + 1, the idle thread's 256, a
 * thread of no known process 257, and the kernel's own (the CPU track,
 * interrupts) 258: not 0, which trace viewers keep for the OS's idle task. */
#define CPU_PID 258

static int pid_of_proc(int proc)
{
    return proc < 0 ? 257 : proc + 1;
}

static int pid_of_slot(const struct trace *t, unsigned slot)
{
    return pid_of_proc(slot < TRACE_MAX_PROC ? t->home[slot] : -1);
}

static cJSON *event(cJSON *list, const char *name, const char *ph, double ts, int pid, int tid)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "name", name);
    cJSON_AddStringToObject(o, "ph", ph);
    cJSON_AddNumberToObject(o, "ts", ts);
    cJSON_AddNumberToObject(o, "pid", pid);
    cJSON_AddNumberToObject(o, "tid", tid);
    cJSON_AddItemToArray(list, o);
    return o;
}

static void meta(cJSON *list, const char *what, int pid, int tid, const char *name)
{
    cJSON *o = event(list, what, "M", 0, pid, tid);
    cJSON *args = cJSON_AddObjectToObject(o, "args");
    cJSON_AddStringToObject(args, "name", name);
}

struct open_call {
    uint64_t ts;
    uint32_t fn;
    uint8_t callee, depth, caller;
};

struct slot_state {
    struct open_call calls[MAX_DEPTH];
    unsigned n;
};

static void close_call(const struct trace *t, cJSON *list, unsigned slot, const struct open_call *c,
                       uint64_t now, const int32_t *result, trace_namer name, void *ctx)
{
    char *callee = proc_name(t, c->callee);
    char *caller = proc_name(t, c->caller);
    char *method = code_name(name, ctx, c->fn);
    char *label = xasprintf("%s.%s", callee, method);
    cJSON *o = event(list, label, "X", trace_us(t, c->ts), pid_of_slot(t, slot), (int)slot + 1);
    cJSON_AddStringToObject(o, "cat", "rpc");
    cJSON_AddNumberToObject(o, "dur", trace_us(t, now - c->ts));
    cJSON *args = cJSON_AddObjectToObject(o, "args");
    cJSON_AddStringToObject(args, "caller", caller);
    cJSON_AddStringToObject(args, "callee", callee);
    cJSON_AddNumberToObject(args, "depth", c->depth);
    if (result != NULL) {
        cJSON_AddNumberToObject(args, "result", *result);
    } else {
        cJSON_AddBoolToObject(args, "unfinished", true);
    }
    free(label);
    free(method);
    free(caller);
    free(callee);
}

static void cpu_slice(const struct trace *t, cJSON *list, unsigned slot, unsigned active,
                      uint64_t from, uint64_t to, trace_namer name, void *ctx)
{
    char *who = thread_name(t, slot, name, ctx);
    cJSON *o = event(list, who, "X", trace_us(t, from), CPU_PID, 1);
    cJSON_AddStringToObject(o, "cat", "cpu");
    cJSON_AddNumberToObject(o, "dur", trace_us(t, to - from));
    char *in = proc_name(t, active);
    cJSON_AddStringToObject(cJSON_AddObjectToObject(o, "args"), "process", in);
    free(in);
    free(who);
}

char *trace_chrome_json(const struct trace *t, trace_namer name, void *ctx)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *list = cJSON_AddArrayToObject(root, "traceEvents");
    cJSON_AddStringToObject(root, "displayTimeUnit", "ns");
    cJSON *other = cJSON_AddObjectToObject(root, "otherData");
    cJSON_AddStringToObject(other, "source", "CMRX kernel trace");
    cJSON_AddNumberToObject(other, "clock_hz", t->hz);
    cJSON_AddNumberToObject(other, "events", (double)t->n);
    cJSON_AddNumberToObject(other, "lost", t->written > t->n ? (double)(t->written - t->n) : 0);

    /* The tracks, named. */
    meta(list, "process_name", CPU_PID, 0, "CPU");
    meta(list, "thread_name", CPU_PID, 1, "running");
    meta(list, "thread_name", CPU_PID, 2, "interrupts");
    /* The CPU first, above the processes. */
    cJSON *first = event(list, "process_sort_index", "M", 0, CPU_PID, 0);
    cJSON_AddNumberToObject(cJSON_AddObjectToObject(first, "args"), "sort_index", -1);
    bool named[CPU_PID] = {false};
    for (unsigned s = 0; s < TRACE_MAX_PROC; s++) {
        bool used = t->home[s] >= 0;
        for (size_t i = 0; i < t->n && !used; i++) {
            used = t->ev[i].thread == s && t->ev[i].type != TRACE_IRQ;
        }
        if (!used || s == TRACE_NO_SLOT) {
            continue;
        }
        int pid = pid_of_slot(t, s);
        if (!named[pid]) {
            char *pn = t->home[s] >= 0 ? proc_name(t, (unsigned)t->home[s]) : xstrdup("unknown");
            meta(list, "process_name", pid, 0, pn);
            free(pn);
            named[pid] = true;
        }
        char *tn = thread_name(t, s, name, ctx);
        meta(list, "thread_name", pid, (int)s + 1, tn);
        free(tn);
    }

    struct slot_state *st = xcalloc(TRACE_MAX_PROC, sizeof(*st));
    int running = -1;
    unsigned running_in = 0;
    uint64_t since = 0;
    for (size_t i = 0; i < t->n; i++) {
        const struct trace_event *ev = &t->ev[i];
        unsigned slot = ev->thread;
        struct slot_state *ss = &st[slot];
        double ts = trace_us(t, ev->time);
        int pid = pid_of_slot(t, slot), tid = (int)slot + 1;
        cJSON *o = NULL;
        switch (ev->type) {
        case TRACE_SWITCH:
            if (running >= 0) {
                cpu_slice(t, list, (unsigned)running, running_in, since, ev->time, name, ctx);
            }
            running = slot == TRACE_NO_SLOT ? -1 : (int)slot;
            running_in = ev->a;
            since = ev->time;
            break;
        case TRACE_CALL:
            /* A deeper call left open means its return was not recorded. */
            while (ss->n > 0 && ss->calls[ss->n - 1].depth >= ev->b) {
                ss->n--;
                close_call(t, list, slot, &ss->calls[ss->n], ev->time, NULL, name, ctx);
            }
            if (ss->n < MAX_DEPTH) {
                unsigned caller = ss->n > 0 ? ss->calls[ss->n - 1].callee
                                  : slot < TRACE_MAX_PROC && t->home[slot] >= 0
                                      ? (unsigned)t->home[slot]
                                      : TRACE_IDLE;
                ss->calls[ss->n++] =
                    (struct open_call){ev->time, ev->arg, ev->a, ev->b, (uint8_t)caller};
            }
            break;
        case TRACE_RETURN:
            while (ss->n > 0 && ss->calls[ss->n - 1].depth > ev->b) {
                ss->n--;
                bool last = ss->calls[ss->n].depth == ev->b + 1u;
                int32_t result = (int32_t)ev->arg;
                close_call(t, list, slot, &ss->calls[ss->n], ev->time, last ? &result : NULL, name,
                           ctx);
            }
            break;
        case TRACE_IRQ: {
            char *n = xasprintf("irq %" PRIu32, ev->arg);
            o = event(list, n, "i", ts, CPU_PID, 2);
            free(n);
            break;
        }
        case TRACE_NOTIFY: {
            o = event(list, "notify", "i", ts, pid, tid);
            char *w = xasprintf("0x%08" PRIx32, ev->arg);
            cJSON *args = cJSON_AddObjectToObject(o, "args");
            cJSON_AddStringToObject(args, "word", w);
            cJSON_AddNumberToObject(args, "count", ev->a);
            free(w);
            break;
        }
        case TRACE_WAKE:
            o = event(list, "wake", "i", ts, pid, tid);
            cJSON_AddNumberToObject(cJSON_AddObjectToObject(o, "args"), "result", (int32_t)ev->arg);
            break;
        case TRACE_FAULT: {
            o = event(list, "fault", "i", ts, pid, tid);
            cJSON *args = cJSON_AddObjectToObject(o, "args");
            char *pn = proc_name(t, ev->a);
            char *where = code_name(name, ctx, ev->arg);
            cJSON_AddStringToObject(args, "process", pn);
            cJSON_AddStringToObject(args, "pc", where);
            free(where);
            free(pn);
            break;
        }
        case TRACE_START:
            o = event(list, "start", "i", ts, pid, tid);
            break;
        case TRACE_EXIT:
            o = event(list, "exit", "i", ts, pid, tid);
            cJSON_AddNumberToObject(cJSON_AddObjectToObject(o, "args"), "code", (int32_t)ev->arg);
            break;
        default:
            break;
        }
        if (o != NULL) {
            cJSON_AddStringToObject(o, "s", "t");
        }
    }
    if (running >= 0) {
        cpu_slice(t, list, (unsigned)running, running_in, since, t->end, name, ctx);
    }
    for (unsigned s = 0; s < TRACE_MAX_PROC; s++) {
        while (st[s].n > 0) {
            st[s].n--;
            close_call(t, list, s, &st[s].calls[st[s].n], t->end, NULL, name, ctx);
        }
    }
    free(st);
    char *out = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    return out;
}

/* ---- CPU time per thread ----------------------------------------------------------- */

void trace_cpu_table(const struct trace *t, trace_namer name, void *ctx, FILE *out)
{
    uint64_t cpu[TRACE_MAX_PROC] = {0};
    unsigned switches[TRACE_MAX_PROC] = {0}, calls[TRACE_MAX_PROC] = {0};
    int running = -1;
    uint64_t since = 0, first = 0;
    bool any = false;
    for (size_t i = 0; i < t->n; i++) {
        const struct trace_event *ev = &t->ev[i];
        if (ev->type == TRACE_SWITCH) {
            if (running >= 0) {
                cpu[running] += ev->time - since;
            } else if (!any) {
                first = ev->time;
            }
            any = true;
            running = ev->thread == TRACE_NO_SLOT ? -1 : ev->thread;
            since = ev->time;
            if (running >= 0) {
                switches[running]++;
            }
        } else if (ev->type == TRACE_CALL && ev->thread != TRACE_NO_SLOT) {
            calls[ev->thread]++;
        }
    }
    if (running >= 0) {
        cpu[running] += t->end - since;
    }
    uint64_t span = any ? t->end - first : 0;
    fprintf(out, "%-32s %12s %7s %9s %9s\n", "thread", "cpu (us)", "share", "switches",
            "rpc calls");
    for (unsigned s = 0; s < TRACE_MAX_PROC; s++) {
        if (switches[s] == 0 && calls[s] == 0) {
            continue;
        }
        char *tn = thread_name(t, s, name, ctx);
        fprintf(out, "%-32s %12.1f %6.1f%% %9u %9u\n", tn, trace_us(t, cpu[s]),
                span != 0 ? 100.0 * (double)cpu[s] / (double)span : 0.0, switches[s], calls[s]);
        free(tn);
    }
    fprintf(out, "traced %.1f us from the first switch; %zu events kept", trace_us(t, span), t->n);
    if (t->written > t->n) {
        fprintf(out, ", %" PRIu32 " older ones lost (the ring holds %" PRIu32 ")",
                t->written - (uint32_t)t->n, t->size);
    }
    fputs("\n", out);
}
