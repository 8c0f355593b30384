/* The kernel trace: a ring of the last CMRX_TRACE_EVENTS events (thread
 * switches, RPC calls and returns, interrupts, notifications, wake-ups,
 * faults, thread starts and ends), each stamped with port_trace_clock().
 * Compiled in only when the SDK's CMRX_TRACE option sets
 * CMRX_TRACE_EVENTS; without it this file is empty and every TRACE() in
 * the kernel is nothing.
 *
 * A full ring overwrites its oldest event: the count of events ever
 * written says how many were lost. Every event is recorded in kernel
 * context (the kernel's exceptions never preempt each other), never at
 * interrupt priority, so the ring needs no lock and no interrupt masking.
 *
 * trace_dump() puts the ring out on the console at shutdown or panic,
 * one line each (`cmrx trace` reads them; docs/debugging.md):
 *
 *   [cmrx-trace] begin v1 hz=HZ size=N written=W now=HEX8
 *   [cmrx-trace] p INDEX NAME          each process, and 255 idle
 *   [cmrx-trace] t SLOT PROCESS        each thread slot in use: its home
 *   [cmrx-trace] e HEX24               each event, oldest first: its 12
 *                                      bytes (struct trace_rec, little-endian)
 *   [cmrx-trace] end sum=HEX8          FNV-1a of every event byte
 *
 * HZ counts of the clock make a second; W events were recorded (W - N
 * lost when W > N); now: the clock at the dump, the trace's end.
 */
#include "kernel.h"

#if CMRX_TRACE_EVENTS

#if (CMRX_TRACE_EVENTS & (CMRX_TRACE_EVENTS - 1)) != 0
#error "CMRX_TRACE_EVENTS must be a power of two"
#endif

#define IDLE_INDEX 255u
#define PREFIX     "[cmrx-trace] "

struct trace_rec {
    uint32_t time;
    uint8_t type;
    uint8_t thread; /* slot */
    uint8_t a, b;
    uint32_t arg;
};
_Static_assert(sizeof(struct trace_rec) == 12, "the dump's record is 12 bytes");

static struct {
    uint32_t written; /* events ever recorded: the next one's place, mod the size */
    struct trace_rec rec[CMRX_TRACE_EVENTS];
} ring;

void trace_init(void)
{
    ring.written = 0;
}

unsigned trace_process(const struct cmrx_process *p)
{
    return p == &cmrx_idle_process ? IDLE_INDEX : (unsigned)process_index(p);
}

void trace_event(unsigned type, const struct cmrx_thread *t, unsigned a, unsigned b, uint32_t arg)
{
    struct trace_rec *r = &ring.rec[ring.written % CMRX_TRACE_EVENTS];
    ring.written++;
    r->time = port_trace_clock();
    r->type = (uint8_t)type;
    r->thread = t != NULL ? (uint8_t)(t - cmrx_threads) : 0xFFu;
    r->a = (uint8_t)a;
    r->b = (uint8_t)b;
    r->arg = arg;
}

void cmrx_trace_switch(const struct cmrx_thread *t)
{
    trace_event(CMRX_TR_SWITCH, t, trace_process(thread_active(t)), 0, 0);
}

/* A line of the dump, made without the library's formatter, which the
 * kernel does not link otherwise. Text beyond its room is cut. */
struct line {
    char buf[96];
    size_t n;
};

static void add(struct line *l, const char *s)
{
    while (*s != '\0' && l->n < sizeof(l->buf) - 1u) {
        l->buf[l->n++] = *s++;
    }
}

static void add_dec(struct line *l, uint32_t v)
{
    char d[10];
    unsigned k = 0;
    do {
        d[k++] = (char)('0' + v % 10u);
        v /= 10u;
    } while (v != 0);
    while (k > 0 && l->n < sizeof(l->buf) - 1u) {
        l->buf[l->n++] = d[--k];
    }
}

static void add_hex(struct line *l, uint32_t v, unsigned digits)
{
    static const char hex[] = "0123456789abcdef";
    while (digits > 0 && l->n < sizeof(l->buf) - 1u) {
        digits--;
        l->buf[l->n++] = hex[(v >> (4u * digits)) & 15u];
    }
}

static void begin(struct line *l, const char *what)
{
    l->n = 0;
    add(l, PREFIX);
    add(l, what);
}

static void put(struct line *l)
{
    l->buf[l->n++] = '\n';
    console_write_all(l->buf, l->n);
}

void trace_dump(void)
{
    struct line l;
    uint32_t count = ring.written < CMRX_TRACE_EVENTS ? ring.written : CMRX_TRACE_EVENTS;
    begin(&l, "begin v1 hz=");
    add_dec(&l, port_trace_hz());
    add(&l, " size=");
    add_dec(&l, CMRX_TRACE_EVENTS);
    add(&l, " written=");
    add_dec(&l, ring.written);
    add(&l, " now=");
    add_hex(&l, port_trace_clock(), 8);
    put(&l);
    for (unsigned i = 0; i <= cmrx_process_count; i++) {
        const struct cmrx_process *p =
            i < cmrx_process_count ? &cmrx_processes[i] : &cmrx_idle_process;
        begin(&l, "p ");
        add_dec(&l, trace_process(p));
        add(&l, " ");
        add(&l, p->name);
        put(&l);
    }
    for (unsigned i = 0; i < cmrx_thread_count; i++) {
        const struct cmrx_thread *t = &cmrx_threads[i];
        if (t->state != CMRX_T_FREE) {
            begin(&l, "t ");
            add_dec(&l, i);
            add(&l, " ");
            add_dec(&l, trace_process(t->process));
            put(&l);
        }
    }
    uint32_t sum = 2166136261u;
    for (uint32_t k = ring.written - count; k != ring.written; k++) {
        const uint8_t *b = (const uint8_t *)&ring.rec[k % CMRX_TRACE_EVENTS];
        begin(&l, "e ");
        for (unsigned j = 0; j < sizeof(struct trace_rec); j++) {
            sum = (sum ^ b[j]) * 16777619u;
            add_hex(&l, b[j], 2);
        }
        put(&l);
    }
    begin(&l, "end sum=");
    add_hex(&l, sum, 8);
    put(&l);
}

#else
typedef int cmrx_trace_off; /* ISO C wants something in a file */
#endif
