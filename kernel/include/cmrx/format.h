/* String formatting without global state, usable by the kernel and by any
 * process (newlib's printf family keeps per-libc global state that an
 * isolated process cannot reach). */
#ifndef CMRX_FORMAT_H
#define CMRX_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

/** Sink for formatted output: receives @p n bytes at @p s. */
typedef void (*cmrx_format_out)(void *ctx, const char *s, size_t n);

/**
 * Format @p fmt into @p out. Conversions: %d %i %u %x %X %p %s %c %%, with
 * flags '-' and '0', a field width (number or '*') and length 'l', 'll'
 * ('ll' values are truncated to 32 bits on 32-bit CPUs), 'z'.
 * @return the number of characters produced.
 */
int cmrx_vformat(cmrx_format_out out, void *ctx, const char *fmt, va_list ap);

/**
 * snprintf() equivalent: at most @p size - 1 characters and a NUL.
 * @return the length the full output would have had.
 */
int cmrx_format(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/** cmrx_format() with a va_list. */
int cmrx_vformat_buf(char *buf, size_t size, const char *fmt, va_list ap);

#endif
