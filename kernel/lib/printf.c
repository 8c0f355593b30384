/* cmrx_printf(): format on the caller's stack, write through the kernel. */
#include <cmrx/console.h>
#include <cmrx/errno.h>
#include <cmrx/format.h>
#include <cmrx/thread.h>

int cmrx_console_write(const char *buf, size_t len)
{
    /* The kernel takes a chunk per call, so no write keeps it busy long. */
    size_t done = 0;
    while (done < len) {
        int r = cmrx_console_write_some(buf + done, len - done);
        if (r == CMRX_ETIMEDOUT || r == CMRX_EINTR) {
            continue; /* waited for another thread's line: try again */
        }
        if (r < 0) {
            return r;
        }
        if (r == 0) {
            /* The UART is full (or the kernel's own messages went first):
             * let the others run while it drains, rather than spin. */
            cmrx_thread_yield();
        }
        done += (size_t)r;
    }
    return (int)len;
}

struct pbuf {
    char data[128];
    size_t len;
    int err;
};

static void flush(struct pbuf *b)
{
    if (b->len > 0) {
        int r = cmrx_console_write(b->data, b->len);
        if (r < 0) {
            b->err = r;
        }
        b->len = 0;
    }
}

static void pbuf_out(void *ctx, const char *s, size_t n)
{
    struct pbuf *b = ctx;
    for (size_t i = 0; i < n; i++) {
        if (b->len == sizeof(b->data)) {
            flush(b);
        }
        b->data[b->len++] = s[i];
    }
}

int cmrx_vprintf(const char *fmt, va_list ap)
{
    struct pbuf b;
    b.len = 0;
    b.err = 0;
    int n = cmrx_vformat(pbuf_out, &b, fmt, ap);
    flush(&b);
    return b.err < 0 ? b.err : n;
}

int cmrx_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = cmrx_vprintf(fmt, ap);
    va_end(ap);
    return n;
}
