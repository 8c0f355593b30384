/* The kernel console: kernel messages and the console-write system call.
 *
 * Nothing here keeps the kernel busy for longer than one chunk of output.
 * A process's write goes out CMRX_CONSOLE_CHUNK bytes per system call (the
 * library loops). So that the pieces of different threads' lines do not
 * mix, a thread that has begun a line holds the console until the line's
 * '\n': other writers wait meanwhile, by priority, and the first of them
 * gets the console next. A hold ends at the latest CONSOLE_HOLD_TICKS after
 * it began, or when its thread is gone, so that a prompt without a newline
 * or a preempted or dead writer keeps nobody waiting long. A kernel message is only recorded where
 * it happens (its format and arguments: a fault report costs its faulting process a few hundred
 * instructions, not the thousands formatting would), and formatted later, CMRX_CONSOLE_CHUNK
 * characters per system call, put out by the next one, by the next writer (before its own text,
 * so the output keeps its order) or by the idle thread. Only a shutdown or a panic puts
 * everything out at once. A message the full queue cannot take is dropped and counted, and the
 * count is reported with the next one.
 *
 * Messages take %s (a string that stays: flash), %d %i %u %x with the
 * flags '0' and a width and the length 'l', %% and the kernel's own %A:
 * two arguments, a flag and a value, printed as 0x%08x, or as ? when the
 * flag is 0 (an address the kernel could not learn). They go out between
 * lines.
 */
#include "kernel.h"

#include <cmrx/console.h>
#include <stdarg.h>

/* A burst of fault reports (ARMv6-M: several per fault); more are counted as lost. */
#define LOG_RECORDS 8u
#define LOG_ARGS    10u

#define CONSOLE_HOLD_TICKS 2u

/* Whose line the console is on (tid -1: nobody's), since when, and
 * whether that line has begun (a handed-over hold has not). Also the
 * object writers wait on: a kernel address, which no process can notify. */
static struct {
    int tid;
    uint32_t since;
    bool open;
} hold = {-1, 0, false};

struct klog_rec {
    const char *fmt;
    uintptr_t arg[LOG_ARGS];
};

static struct klog_rec log_rec[LOG_RECORDS];
static uint8_t log_first; /* oldest record */
static uint8_t log_count; /* records waiting */
static uint16_t log_lost; /* messages dropped since the last report */

/* Where the drain stands in the oldest record (rec is NULL between records). */
static struct {
    const struct klog_rec *rec;
    const char *fmt;   /* next format character */
    unsigned arg;      /* next argument */
    const char *piece; /* text being put out: a literal run, a string, a number */
    size_t left;       /* of it */
    char num[12];
    /* A formatted chunk the UART has not taken all of yet: [off, n). */
    char out[CMRX_CONSOLE_CHUNK];
    uint8_t off, n;
} drain;

/* Kernel messages wait: queued, lost ones to report, or under way. */
static bool log_pending(void)
{
    return log_count != 0 || log_lost != 0 || drain.rec != NULL || drain.off != drain.n;
}

int kprintf(const char *fmt, ...)
{
    if (log_count == LOG_RECORDS) {
        log_lost++;
        return 0;
    }
    struct klog_rec *r = &log_rec[(log_first + log_count) % LOG_RECORDS];
    r->fmt = fmt;
    /* Take each argument with the type its conversion says. */
    va_list ap;
    va_start(ap, fmt);
    unsigned n = 0;
    for (const char *f = fmt; *f != '\0' && n < LOG_ARGS; f++) {
        if (*f != '%' || *++f == '%') {
            continue;
        }
        bool lng = false;
        for (; *f == '0' || (*f >= '1' && *f <= '9') || *f == 'l'; f++) {
            lng |= *f == 'l';
        }
        if (*f == 's') {
            r->arg[n++] = (uintptr_t)va_arg(ap, const char *);
        } else if (*f == 'A') {
            r->arg[n++] = (uintptr_t)va_arg(ap, int);
            r->arg[n++] = (uintptr_t)va_arg(ap, unsigned long);
        } else if (lng) {
            r->arg[n++] = (uintptr_t)va_arg(ap, unsigned long);
        } else {
            r->arg[n++] = (uintptr_t)va_arg(ap, unsigned);
        }
    }
    va_end(ap);
    log_count++;
    return 0;
}

/* The number v in base 10 or 16, at least `width` digits (zeros first),
 * after "-" or a `lead` text (up to 2 characters), as the next piece. */
static void drain_number(uintptr_t v, unsigned base, unsigned width, const char *lead)
{
    char *end = drain.num + sizeof(drain.num);
    char *p = end;
    do {
        *--p = "0123456789abcdef"[v % base];
        v /= base;
    } while (v != 0);
    while ((unsigned)(end - p) < width && p > drain.num + 2) {
        *--p = '0';
    }
    size_t n = lead[0] == '\0' ? 0u : lead[1] == '\0' ? 1u : 2u;
    while (n > 0) {
        *--p = lead[--n];
    }
    drain.piece = p;
    drain.left = (size_t)(end - p);
}

static void drain_start(const struct klog_rec *r)
{
    drain.rec = r;
    drain.fmt = r->fmt;
    drain.arg = 0;
    drain.piece = "[cmrx] ";
    drain.left = 7;
}

/* Start the next piece of the current record, or finish the record. */
static void drain_next(void)
{
    const char *f = drain.fmt;
    if (*f == '\0') {
        log_first = (uint8_t)((log_first + 1u) % LOG_RECORDS);
        log_count--;
        drain.rec = NULL;
        return;
    }
    if (*f != '%' || f[1] == '%') {
        /* Literal text, up to the next conversion ("%%" is a "%"). */
        const char *e = f + 1;
        while (*f != '%' && *e != '\0' && *e != '%') {
            e++;
        }
        drain.piece = f;
        drain.left = (size_t)(e - f);
        drain.fmt = *f == '%' ? f + 2 : e;
        return;
    }
    f++;
    unsigned width = 0;
    for (; (*f >= '0' && *f <= '9') || *f == 'l'; f++) {
        if (*f != 'l') {
            width = width * 10u + (unsigned)(*f - '0');
        }
    }
    const uintptr_t *a = drain.rec->arg + drain.arg;
    drain.fmt = f + 1;
    drain.arg++;
    if (*f == 's') {
        const char *s = (const char *)a[0];
        const char *e = s;
        while (*e != '\0') {
            e++;
        }
        drain.piece = s;
        drain.left = (size_t)(e - s);
    } else if (*f == 'd' || *f == 'i') {
        int32_t v = (int32_t)a[0];
        drain_number(v < 0 ? 0u - (uint32_t)v : (uint32_t)v, 10u, width, v < 0 ? "-" : "");
    } else if (*f == 'x') {
        drain_number(a[0], 16u, width, "");
    } else if (*f == 'A') {
        drain.arg++;
        if (a[0] != 0) {
            drain_number(a[1], 16u, 8u, "0x");
        } else {
            drain.piece = "?";
            drain.left = 1;
        }
    } else { /* 'u' */
        drain_number(a[0], 10u, width, "");
    }
}

/* Put out what the UART takes of the formatted chunk or, when it is all
 * out, format the next CMRX_CONSOLE_CHUNK characters of queued messages
 * (put out by the next call: each half costs about 500 instructions, and
 * together they were the longest kernel section); whether messages still
 * wait. */
static bool log_drain(void)
{
    if (drain.off == drain.n) {
        size_t n = 0;
        while (n < sizeof(drain.out)) {
            if (drain.left != 0) {
                size_t k = drain.left < sizeof(drain.out) - n ? drain.left : sizeof(drain.out) - n;
                for (size_t i = 0; i < k; i++) {
                    drain.out[n + i] = drain.piece[i];
                }
                n += k;
                drain.piece += k;
                drain.left -= k;
            } else if (drain.rec != NULL) {
                drain_next();
            } else if (log_count != 0) {
                drain_start(&log_rec[log_first]);
            } else if (log_lost != 0) {
                /* Dropped after what the queue held: reported after it, in
                 * the queue's first free record. */
                struct klog_rec *r = &log_rec[log_first];
                r->fmt = "%u kernel messages lost\n";
                r->arg[0] = log_lost;
                log_lost = 0;
                log_count = 1;
                drain_start(r);
            } else {
                break;
            }
        }
        drain.off = 0;
        drain.n = (uint8_t)n;
    } else {
        drain.off =
            (uint8_t)(drain.off + bsp_console_put(drain.out + drain.off, drain.n - drain.off));
    }
    return log_pending();
}

void console_flush(void)
{
    while (log_drain()) {
    }
}

void console_write_all(const char *buf, size_t len)
{
    while (len > 0) {
        size_t k = bsp_console_put(buf, len);
        buf += k;
        len -= k;
    }
}

/* The line is over: the console goes to the first waiter, or is free. */
static void hold_release(void)
{
    struct cmrx_thread *next = wait_first(&hold);
    hold.open = false;
    hold.tid = next != NULL ? thread_id(next) : -1;
    hold.since = time_ticks();
    if (next != NULL) {
        thread_wake(next, CMRX_OK);
    }
}

/* Whether t may write now: the console is free or on t's line. */
static bool hold_allows(const struct cmrx_thread *t)
{
    int tid = thread_id(t);
    if (hold.tid >= 0 && hold.tid != tid &&
        (thread_lookup(hold.tid) == NULL || time_ticks() - hold.since >= CONSOLE_HOLD_TICKS)) {
        hold_release(); /* overdue or gone */
    }
    return hold.tid < 0 || hold.tid == tid;
}

int32_t sys_console_write(const char *buf, uint32_t len)
{
    struct cmrx_thread *self = cmrx_sched.current;
    if (!access_ok(self, buf, len, false)) {
        return CMRX_EFAULT;
    }
    if (!hold_allows(self)) {
        if (len == 0) {
            return 0; /* the idle thread: messages go out after that line */
        }
        /* Until handed the console, or until the hold runs out; either
         * way the library calls again. */
        uint32_t left = hold.since + CONSOLE_HOLD_TICKS - time_ticks();
        return thread_wait(self, CMRX_T_WAITING, &hold, left * CMRX_TICK_US);
    }
    /* Kernel messages first, between lines: they happened before this text. */
    if (!hold.open && log_pending()) {
        bool left = log_drain();
        return len == 0 ? (int32_t)left : 0;
    }
    if (len == 0) {
        return 0; /* no messages left */
    }
    /* What the UART takes now, never waiting for the line (a chunk at
     * 115200 baud is 2.8 ms, and the kernel never preempts itself): the
     * library comes back for the rest. */
    uint32_t n =
        (uint32_t)bsp_console_put(buf, len < CMRX_CONSOLE_CHUNK ? len : CMRX_CONSOLE_CHUNK);
    if (n != 0 && buf[n - 1] == '\n') {
        if (hold.tid >= 0) {
            hold_release();
            sched_reschedule();
        }
    } else if (n != 0 && !hold.open) {
        if (hold.tid < 0) {
            hold.since = time_ticks();
        }
        hold.tid = thread_id(self);
        hold.open = true;
    }
    return (int32_t)n;
}

int32_t sys_idle_work(void)
{
    if (thread_active(cmrx_sched.current) != &cmrx_idle_process) {
        return CMRX_EPERM;
    }
    /* One bounded slice per call: a chunk of kernel messages (between
     * lines of other writers) while there are any, else a slice of a
     * commit's verification (the tick does those too). */
    if (log_pending()) {
        return sys_console_write(NULL, 0);
    }
    return cmrx_updater != NULL && cmrx_updater->step(true) ? 1 : 0;
}
