/* The kernel trace, decoded: a firmware built with the trace on
 * (CMRX_TRACE, kernel/src/trace.c) puts its ring of events out on the
 * console at shutdown, framed by "[cmrx-trace] begin" and "[cmrx-trace]
 * end" lines. This module finds that frame in the console output, checks
 * it (every line well-formed, as many events as the header says, the
 * checksum) and turns it into a Chrome/Perfetto trace (the trace event
 * format's JSON) and a table of CPU time per thread. `cmrx trace` uses it
 * (docs/debugging.md). */
#ifndef CMRX_CLI_TRACE_H
#define CMRX_CLI_TRACE_H

#include <stdint.h>
#include <stdio.h>

#include "err.h"

/** The console line prefix of the dump. */
#define TRACE_PREFIX "[cmrx-trace] "

/** Event types, as kernel/src/kernel.h numbers them. */
enum trace_type {
    TRACE_SWITCH = 1,
    TRACE_CALL,
    TRACE_RETURN,
    TRACE_IRQ,
    TRACE_NOTIFY,
    TRACE_WAKE,
    TRACE_FAULT,
    TRACE_START,
    TRACE_EXIT,
};

#define TRACE_IDLE     255u /**< the idle thread's process index */
#define TRACE_NO_SLOT  255u /**< "no thread" in an event's thread field */
#define TRACE_MAX_PROC 256u

struct trace_event {
    uint64_t time; /**< clock counts since the first event (wraps of the 32-bit clock undone) */
    uint8_t type;  /**< enum trace_type */
    uint8_t thread;
    uint8_t a, b;
    uint32_t arg;
};

struct trace {
    uint32_t hz;                    /**< clock counts per second */
    uint32_t size;                  /**< the ring's size in events */
    uint32_t written;               /**< events the kernel recorded; those beyond size were lost */
    uint64_t end;                   /**< the clock at the dump, as event times count */
    char *procs[TRACE_MAX_PROC];    /**< process names by index (NULL: not named) */
    int home[TRACE_MAX_PROC];       /**< each thread slot's home process, or -1 */
    uint32_t entry[TRACE_MAX_PROC]; /**< each thread slot's entry (its last start event), or 0 */
    struct trace_event *ev;         /**< oldest first */
    size_t n;
};

/**
 * Find the dump in console output @p text and decode it into @p t (zeroed,
 * or holding an earlier trace, which is freed).
 * @return 0, or -1 with a message saying what is wrong and where (no dump,
 * a truncated one, a garbled line, a checksum that does not match); @p t
 * is then empty.
 */
int trace_parse(const char *text, struct trace *t, struct err *e);

void trace_free(struct trace *t);

/** Names code addresses (RPC methods, thread entries): a new string, or NULL. */
typedef char *(*trace_namer)(void *ctx, uint32_t addr);

/**
 * The trace as Chrome's trace event format (JSON object with
 * "traceEvents"): a track per thread slot named "process/thread" (its
 * entry function, named by @p name, may be NULL), under its home process;
 * each RPC call a complete slice "callee.method" on the calling thread's
 * track, nested by depth; a "CPU" track of which thread ran when; instant
 * events for interrupts, notifications, wake-ups, faults, thread starts
 * and exits. Times in microseconds. @return a new string.
 */
char *trace_chrome_json(const struct trace *t, trace_namer name, void *ctx);

/**
 * Print a table of CPU time per thread (from the switch events) to
 * @p out: each thread's time on the CPU, its share of the traced span,
 * how often it was switched in and the RPC calls it made.
 */
void trace_cpu_table(const struct trace *t, trace_namer name, void *ctx, FILE *out);

/** Seconds of clock counts @p counts of @p t, as microseconds. */
double trace_us(const struct trace *t, uint64_t counts);

#endif
