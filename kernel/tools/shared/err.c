#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int set(struct err *e, bool usage, const char *fmt, va_list ap)
{
    vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
    e->hint[0] = '\0';
    e->usage = usage;
    e->status = 0;
    return -1;
}

int err_set(struct err *e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set(e, false, fmt, ap);
    va_end(ap);
    return -1;
}

int err_hint(struct err *e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->hint, sizeof(e->hint), fmt, ap);
    va_end(ap);
    return -1;
}

int err_usage(struct err *e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set(e, true, fmt, ap);
    va_end(ap);
    return -1;
}

int err_prefix(struct err *e, const char *fmt, ...)
{
    char pre[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(pre, sizeof(pre), fmt, ap);
    va_end(ap);
    /* Too long a message is cut at its end; that is fine for a report. */
    size_t pl = strlen(pre), ml = strlen(e->msg);
    if (pl + ml >= sizeof(e->msg)) {
        ml = sizeof(e->msg) - 1 - pl;
    }
    memmove(e->msg + pl, e->msg, ml);
    memcpy(e->msg, pre, pl);
    e->msg[pl + ml] = '\0';
    return -1;
}
