/* uart-console: the board's console UART as a service.
 *
 * A driver process owns the console UART (its registers and interrupts) and
 * offers the RPC service uart_console_service; the client library below
 * (console_printf() and friends) is what processes normally use. Buffers
 * passed to the service itself must lie in the calling process's
 * CMRX_SHARED memory; the client library copies through a shared buffer of
 * its own, so its callers may pass any buffer.
 */
#ifndef UART_CONSOLE_H
#define UART_CONSOLE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmrx/cmrx.h>

/** Most bytes one write() call takes: a write is never split or interleaved. */
#define UART_CONSOLE_WRITE_MAX 256u
/** Bytes the driver buffers for sending. */
#define UART_CONSOLE_TX_SIZE 512u
/** Bytes the driver buffers from the receiver; more are dropped (and counted). */
#define UART_CONSOLE_RX_SIZE 128u

/** write(): more than UART_CONSOLE_WRITE_MAX bytes. */
#define UART_CONSOLE_E2BIG (-200)

/** What the driver counted since it started. */
struct uart_console_stats {
    uint32_t rx_bytes;   /**< bytes received by the UART */
    uint32_t rx_dropped; /**< received while the receive buffer was full: lost */
    uint32_t rx_errors;  /**< overrun, framing, noise or parity errors the UART flagged */
    uint32_t tx_bytes;   /**< bytes handed to the transmitter */
};

struct uart_console;

/** The RPC interface. Every buffer must lie in the caller's CMRX_SHARED memory. */
struct uart_console_vtable {
    /**
     * Queue @p len bytes for sending; sleeps while the transmit buffer has
     * no room for all of them. @return @p len; UART_CONSOLE_E2BIG (@p len >
     * UART_CONSOLE_WRITE_MAX), CMRX_EFAULT (buffer not in the caller's
     * shared memory).
     */
    int (*write)(struct uart_console *self, const void *buf, uint32_t len);
    /**
     * Take up to @p len received bytes, waiting up to @p timeout_us
     * (CMRX_FOREVER, or 0 to poll) for the first one. @return the number of
     * bytes (> 0), 0 if @p len is 0; CMRX_ETIMEDOUT, CMRX_EFAULT.
     */
    int (*read)(struct uart_console *self, void *buf, uint32_t len, uint32_t timeout_us);
    /**
     * Wait until everything written so far has left the transmitter.
     * @return CMRX_OK, CMRX_ETIMEDOUT.
     */
    int (*flush)(struct uart_console *self, uint32_t timeout_us);
    /** Copy the counters to @p out. @return CMRX_OK, CMRX_EFAULT. */
    int (*stats)(struct uart_console *self, struct uart_console_stats *out);
};

struct uart_console {
    const struct uart_console_vtable *vtable;
};

/** The service object of the driver process. */
extern struct uart_console uart_console_service;

/* --- client library (uart_console_client) --------------------------------
 * Compiled into each process that lists it in LIBS; safe for any number of
 * threads of that process. Return values are the service's, or the
 * kernel's CMRX_ERPC_* code when the driver cannot be called. */

/** Write @p len bytes from any buffer (in pieces of UART_CONSOLE_WRITE_MAX). @return @p len. */
int console_write(const void *buf, size_t len);

/** Write a string. @return its length. */
int console_puts(const char *s);

/**
 * printf() through the console service: formats like cmrx_printf() (see
 * <cmrx/format.h>). Output up to UART_CONSOLE_WRITE_MAX bytes is written in
 * one piece, so lines of different processes do not mix.
 * @return the number of characters written.
 */
int console_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/** console_printf() with a va_list. */
int console_vprintf(const char *fmt, va_list ap);

/** Read up to @p len bytes into any buffer, as the service's read(). */
int console_read(void *buf, size_t len, uint32_t timeout_us);

/** One received byte (0..255), or CMRX_ETIMEDOUT. */
int console_getc(uint32_t timeout_us);

/**
 * Read a line: bytes up to '\n' (not stored; a '\r' before it is dropped)
 * into @p buf, NUL-terminated. A line longer than @p size - 1 is cut there
 * and the rest stays for the next call. @p timeout_us applies to each byte.
 * @return the line's length, or CMRX_ETIMEDOUT (what was read so far is in
 * @p buf), CMRX_EINVAL (@p size is 0).
 */
int console_readline(char *buf, size_t size, uint32_t timeout_us);

/** As the service's flush(). */
int console_flush(uint32_t timeout_us);

/** As the service's stats(), into any buffer. */
int console_stats(struct uart_console_stats *out);

#endif
