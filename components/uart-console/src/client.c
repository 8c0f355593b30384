/* uart-console client library: compiled into each process that uses it,
 * with a buffer in that process's shared memory through which data travels
 * to and from the driver. */
#include <string.h>

#include "uart_console.h"

/* The driver may read and write these while this process calls it. */
static CMRX_SHARED char shared_buf[UART_CONSOLE_WRITE_MAX];
static CMRX_SHARED struct uart_console_stats shared_stats;
/* The threads of this process take turns with them. */
static cmrx_mutex_t buf_lock = CMRX_MUTEX_INIT;

/* Write [s, s + n) through shared_buf; buf_lock held. */
static int write_locked(const char *s, size_t n)
{
    while (n > 0) {
        size_t part = n < sizeof(shared_buf) ? n : sizeof(shared_buf);
        memcpy(shared_buf, s, part);
        int rc = cmrx_rpc_call(&uart_console_service, write, shared_buf, part);
        if (rc < 0) {
            return rc;
        }
        s += part;
        n -= part;
    }
    return CMRX_OK;
}

int console_write(const void *buf, size_t len)
{
    int rc = cmrx_mutex_lock(&buf_lock);
    if (rc != CMRX_OK) {
        return rc; /* a thread serving a killed caller: leave */
    }
    rc = write_locked(buf, len);
    cmrx_mutex_unlock(&buf_lock);
    return rc < 0 ? rc : (int)len;
}

int console_puts(const char *s)
{
    return console_write(s, strlen(s));
}

/* Formatted output collects in shared_buf and goes out when it is full. */
struct sink {
    size_t len;
    int err;
};

static void sink_out(void *ctx, const char *s, size_t n)
{
    struct sink *k = ctx;
    while (n > 0 && k->err == 0) {
        if (k->len == sizeof(shared_buf)) {
            int rc = cmrx_rpc_call(&uart_console_service, write, shared_buf, k->len);
            k->err = rc < 0 ? rc : 0;
            k->len = 0;
        }
        size_t part = sizeof(shared_buf) - k->len;
        if (part > n) {
            part = n;
        }
        memcpy(shared_buf + k->len, s, part);
        k->len += part;
        s += part;
        n -= part;
    }
}

int console_vprintf(const char *fmt, va_list ap)
{
    struct sink k = {0, 0};
    int rc = cmrx_mutex_lock(&buf_lock);
    if (rc != CMRX_OK) {
        return rc;
    }
    int n = cmrx_vformat(sink_out, &k, fmt, ap);
    if (k.err == 0 && k.len > 0) {
        rc = cmrx_rpc_call(&uart_console_service, write, shared_buf, k.len);
        k.err = rc < 0 ? rc : 0;
    }
    cmrx_mutex_unlock(&buf_lock);
    return k.err < 0 ? k.err : n;
}

int console_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = console_vprintf(fmt, ap);
    va_end(ap);
    return n;
}

int console_read(void *buf, size_t len, uint32_t timeout_us)
{
    if (len > sizeof(shared_buf)) {
        len = sizeof(shared_buf);
    }
    int n = cmrx_mutex_lock(&buf_lock);
    if (n != CMRX_OK) {
        return n;
    }
    n = cmrx_rpc_call(&uart_console_service, read, shared_buf, len, timeout_us);
    if (n > 0) {
        memcpy(buf, shared_buf, (size_t)n);
    }
    cmrx_mutex_unlock(&buf_lock);
    return n;
}

int console_getc(uint32_t timeout_us)
{
    unsigned char c;
    int n = console_read(&c, 1, timeout_us);
    return n == 1 ? c : n;
}

int console_readline(char *buf, size_t size, uint32_t timeout_us)
{
    if (size == 0) {
        return CMRX_EINVAL;
    }
    size_t len = 0;
    buf[0] = '\0';
    while (len + 1 < size) {
        int c = console_getc(timeout_us);
        if (c < 0) {
            return c;
        }
        if (c == '\n') {
            if (len > 0 && buf[len - 1] == '\r') {
                buf[--len] = '\0';
            }
            break;
        }
        buf[len++] = (char)c;
        buf[len] = '\0';
    }
    return (int)len;
}

int console_flush(uint32_t timeout_us)
{
    return cmrx_rpc_call(&uart_console_service, flush, timeout_us);
}

int console_stats(struct uart_console_stats *out)
{
    int rc = cmrx_mutex_lock(&buf_lock);
    if (rc != CMRX_OK) {
        return rc;
    }
    rc = cmrx_rpc_call(&uart_console_service, stats, &shared_stats);
    if (rc == CMRX_OK) {
        memcpy(out, &shared_stats, sizeof(*out));
    }
    cmrx_mutex_unlock(&buf_lock);
    return rc;
}
