/* The kernel console: kernel messages and the console-write system call. */
#include "kernel.h"

#include <stdarg.h>

static void console_out(void *ctx, const char *s, size_t n)
{
    (void)ctx;
    bsp_console_write(s, n);
}

int kprintf(const char *fmt, ...)
{
    /* Here, not in every message's format: one copy of the prefix. */
    static const char prefix[] = "[cmrx] ";
    bsp_console_write(prefix, sizeof(prefix) - 1u);
    va_list ap;
    va_start(ap, fmt);
    int n = cmrx_vformat(console_out, NULL, fmt, ap);
    va_end(ap);
    return n + (int)sizeof(prefix) - 1;
}

int32_t sys_console_write(const char *buf, uint32_t len)
{
    if (!access_ok(cmrx_sched.current, buf, len, false)) {
        return CMRX_EFAULT;
    }
    bsp_console_write(buf, len);
    return (int32_t)len;
}
