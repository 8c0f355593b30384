/* The kernel console: the board's console UART, shared by all processes. */
#ifndef CMRX_CONSOLE_H
#define CMRX_CONSOLE_H

#include <stdarg.h>
#include <stddef.h>

/**
 * Write @p len bytes to the console (in pieces of at most
 * CMRX_CONSOLE_CHUNK bytes, so that the kernel is never busy long; while
 * the UART is full the calling thread yields and tries again, so threads of
 * lower priority do not run until the UART has taken the text: for much
 * output from an urgent thread, the uart-console component's interrupt-
 * driven ring is the better way). A line is
 * not mixed with other threads' output: while another thread is in the
 * middle of a line, this waits (at most 2 ms for each such line).
 * @return @p len, or CMRX_EFAULT if the buffer is not readable by the
 *         calling thread.
 */
int cmrx_console_write(const char *buf, size_t len);

/** The most a single console system call puts out. */
#define CMRX_CONSOLE_CHUNK 32u

/**
 * The console system call itself: put out the kernel's queued messages,
 * or when there are none, at most CMRX_CONSOLE_CHUNK bytes of @p buf, as
 * many as the UART takes without waiting for the line (0 while it is
 * full: call again). A
 * thread whose bytes do not end with '\n' holds the console for its line;
 * another thread's call meanwhile waits until the line ends (then it is
 * next) or the hold runs out, 2 ticks after it began, and writes nothing.
 * @return the bytes of @p buf written (0 while kernel messages went out
 *         first, after a wait for another thread's line ended, or while
 *         the UART is full);
 *         CMRX_ETIMEDOUT or CMRX_EINTR after a wait that ran out or was
 *         interrupted by a signal (call again); with @p len 0 (the idle
 *         thread's call), 1 while kernel messages are still queued or
 *         the kernel has other background work left (a slice of an
 *         update's verification per call; never waits); CMRX_EFAULT if the
 *         buffer is not readable by the caller; CMRX_EKILLED if the caller
 *         is being killed.
 */
int cmrx_console_write_some(const char *buf, size_t len);

/**
 * Formatted output to the console. Supports %d %i %u %x %X %p %s %c %%,
 * the 'l' length modifier, '0' padding and a field width. Output longer
 * than 256 bytes is written in pieces.
 * @return the number of characters written, or a negative error code.
 */
int cmrx_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/** cmrx_printf() with a va_list. */
int cmrx_vprintf(const char *fmt, va_list ap);

#endif
