/* Minimal printf-style formatter shared by the kernel and processes. */
#include <cmrx/format.h>

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

struct spec {
    bool left;
    char pad;
    unsigned width;
};

static size_t emit_padded(cmrx_format_out out, void *ctx, const struct spec *sp, const char *s,
                          size_t n)
{
    size_t total = n;
    size_t fill = sp->width > n ? sp->width - n : 0;
    char padc = sp->left ? ' ' : sp->pad;
    if (!sp->left) {
        /* Zero padding goes after a sign, space padding before it. */
        if (padc == '0' && n > 0 && s[0] == '-') {
            out(ctx, s, 1);
            s++;
            n--;
        }
        for (size_t i = 0; i < fill; i++) {
            out(ctx, &padc, 1);
        }
    }
    out(ctx, s, n);
    if (sp->left) {
        for (size_t i = 0; i < fill; i++) {
            out(ctx, " ", 1);
        }
    }
    return total + fill;
}

static size_t utoa_rev(char *end, unsigned long v, unsigned base, bool upper)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    size_t n = 0;
    do {
        *--end = digits[v % base];
        v /= base;
        n++;
    } while (v != 0);
    return n;
}

int cmrx_vformat(cmrx_format_out out, void *ctx, const char *fmt, va_list ap)
{
    size_t total = 0;
    while (*fmt != '\0') {
        const char *lit = fmt;
        while (*fmt != '\0' && *fmt != '%') {
            fmt++;
        }
        if (fmt != lit) {
            out(ctx, lit, (size_t)(fmt - lit));
            total += (size_t)(fmt - lit);
        }
        if (*fmt == '\0') {
            break;
        }
        fmt++; /* '%' */
        struct spec sp = {false, ' ', 0};
        for (;; fmt++) {
            if (*fmt == '-') {
                sp.left = true;
            } else if (*fmt == '0') {
                sp.pad = '0';
            } else {
                break;
            }
        }
        if (*fmt == '*') {
            int w = va_arg(ap, int);
            sp.width = w < 0 ? 0u : (unsigned)w;
            fmt++;
        }
        while (*fmt >= '0' && *fmt <= '9') {
            sp.width = sp.width * 10u + (unsigned)(*fmt - '0');
            fmt++;
        }
        int lng = 0;
        while (*fmt == 'l' || *fmt == 'z') {
            lng += (*fmt == 'l') ? 1 : 2;
            fmt++;
        }
        char buf[24];
        char *end = buf + sizeof(buf);
        size_t n = 0;
        unsigned long uv = 0;
        switch (*fmt) {
        case 'd':
        case 'i': {
            long v = lng >= 2 ? (long)va_arg(ap, long long)
                              : (lng == 1 ? va_arg(ap, long) : (long)va_arg(ap, int));
            uv = v < 0 ? 0ul - (unsigned long)v : (unsigned long)v;
            n = utoa_rev(end, uv, 10, false);
            if (v < 0) {
                *(end - n - 1) = '-';
                n++;
            }
            total += emit_padded(out, ctx, &sp, end - n, n);
            break;
        }
        case 'u':
        case 'x':
        case 'X':
            uv = lng >= 2 ? (unsigned long)va_arg(ap, unsigned long long)
                          : (lng == 1 ? va_arg(ap, unsigned long) : va_arg(ap, unsigned));
            n = utoa_rev(end, uv, *fmt == 'u' ? 10u : 16u, *fmt == 'X');
            total += emit_padded(out, ctx, &sp, end - n, n);
            break;
        case 'p':
            uv = (unsigned long)(uintptr_t)va_arg(ap, void *);
            n = utoa_rev(end, uv, 16, false);
            *(end - n - 1) = 'x';
            *(end - n - 2) = '0';
            n += 2;
            total += emit_padded(out, ctx, &sp, end - n, n);
            break;
        case 's': {
            const char *s = va_arg(ap, const char *);
            if (s == NULL) {
                s = "(null)";
            }
            total += emit_padded(out, ctx, &sp, s, strlen(s));
            break;
        }
        case 'c': {
            char c = (char)va_arg(ap, int);
            total += emit_padded(out, ctx, &sp, &c, 1);
            break;
        }
        case '%':
            out(ctx, "%", 1);
            total++;
            break;
        default:
            /* Unknown conversion: print it verbatim rather than guess. */
            out(ctx, fmt - 1, *fmt ? 2u : 1u);
            total += *fmt ? 2u : 1u;
            if (*fmt == '\0') {
                return (int)total;
            }
            break;
        }
        fmt++;
    }
    return (int)total;
}

struct bufctx {
    char *buf;
    size_t size;
    size_t len;
};

static void buf_out(void *ctx, const char *s, size_t n)
{
    struct bufctx *b = ctx;
    for (size_t i = 0; i < n; i++, b->len++) {
        if (b->len + 1 < b->size) {
            b->buf[b->len] = s[i];
        }
    }
}

int cmrx_vformat_buf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct bufctx b = {buf, size, 0};
    int n = cmrx_vformat(buf_out, &b, fmt, ap);
    if (size > 0) {
        buf[b.len < size ? b.len : size - 1] = '\0';
    }
    return n;
}

int cmrx_format(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = cmrx_vformat_buf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
