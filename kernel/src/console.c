/* The kernel console: kernel messages and the console-write system call.
 *
 * Nothing here keeps the kernel busy for longer than one chunk of output:
 * a process's write goes out CMRX_CONSOLE_CHUNK bytes per system call (the
 * library loops), and kernel messages are formatted into a ring that the
 * next writer, or the idle thread, drains a chunk at a time before its own
 * text, so they keep their place in the output. Only a shutdown or a
 * panic drains the ring at once. A message the full ring cannot take is
 * dropped and counted, and the count is reported when there is room.
 */
#include "kernel.h"

#include <cmrx/console.h>
#include <stdarg.h>

#define LOG_SIZE 512u /* room for about four fault reports */

static char log_ring[LOG_SIZE];
static uint16_t log_head; /* next byte to write */
static uint16_t log_len;  /* bytes waiting */
static uint16_t log_lost; /* messages dropped since the last report */

struct klog_msg {
    char text[160];
    size_t len;
};

static void msg_out(void *ctx, const char *s, size_t n)
{
    struct klog_msg *m = ctx;
    for (size_t i = 0; i < n && m->len < sizeof(m->text); i++) {
        m->text[m->len++] = s[i];
    }
}

/* Queue a whole message, or count it lost. */
static void log_put(const char *s, size_t n)
{
    if (n > LOG_SIZE - log_len) {
        log_lost++;
        return;
    }
    for (size_t i = 0; i < n; i++) {
        log_ring[log_head] = s[i];
        log_head = (uint16_t)(log_head + 1u == LOG_SIZE ? 0u : log_head + 1u);
    }
    log_len = (uint16_t)(log_len + n);
}

static void log_vformat(const char *fmt, va_list ap)
{
    struct klog_msg m;
    m.len = 0;
    msg_out(&m, "[cmrx] ", 7);
    cmrx_vformat(msg_out, &m, fmt, ap);
    log_put(m.text, m.len);
}

static void log_format(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    log_vformat(fmt, ap);
    va_end(ap);
}

int kprintf(const char *fmt, ...)
{
    if (log_lost != 0 && log_len + 48u <= LOG_SIZE) {
        uint16_t lost = log_lost;
        log_lost = 0;
        log_format("%u kernel messages lost\n", (unsigned)lost);
    }
    va_list ap;
    va_start(ap, fmt);
    log_vformat(fmt, ap);
    va_end(ap);
    return 0;
}

/* Write up to `max` queued bytes (one run: the ring may wrap); what is
 * left. */
static size_t log_drain(size_t max)
{
    size_t tail = (size_t)log_head + LOG_SIZE - log_len;
    if (tail >= LOG_SIZE) {
        tail -= LOG_SIZE;
    }
    size_t n = log_len < max ? log_len : max;
    if (n > LOG_SIZE - tail) {
        n = LOG_SIZE - tail;
    }
    bsp_console_write(log_ring + tail, n);
    log_len = (uint16_t)(log_len - n);
    return log_len;
}

void console_flush(void)
{
    while (log_drain(LOG_SIZE) != 0) {
    }
}

int32_t sys_console_write(const char *buf, uint32_t len)
{
    if (!access_ok(cmrx_sched.current, buf, len, false)) {
        return CMRX_EFAULT;
    }
    /* Kernel messages first: they happened before this text. */
    if (log_len != 0) {
        size_t left = log_drain(CMRX_CONSOLE_CHUNK);
        return len == 0 ? (int32_t)left : 0;
    }
    uint32_t n = len < CMRX_CONSOLE_CHUNK ? len : CMRX_CONSOLE_CHUNK;
    bsp_console_write(buf, n);
    return (int32_t)n;
}
