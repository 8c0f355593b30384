/* Terminal output: status lines and errors on stderr, results on stdout,
 * colour and progress bars only when stderr is a terminal. Each message
 * first flushes stdout, so that it follows what was printed before it
 * where both streams reach one file or pipe. */
#ifndef CMRX_CLI_UI_H
#define CMRX_CLI_UI_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

struct cJSON;

/** Detect the terminal; honour NO_COLOR. Call once at start-up. */
void ui_init(void);

/**
 * The bytes of the control character at @p c: 1 for C0 or DEL, 2 for a C1
 * character in UTF-8, 0 if @p c starts none. What messages show as \xNN
 * and registry text may not hold.
 */
size_t ui_control_len(const unsigned char *c);

/** Print "error: MSG" and, if set, "hint: HINT" to stderr. */
void ui_error(const struct err *e);

/** Print "warning: ..." to stderr. */
void ui_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/** Print a status line "    <verb> <what>" to stderr (verb right-aligned, like a log). */
void ui_status(const char *verb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/**
 * Draw a progress bar "<verb> <label> [===>  ] 40% 2/5 <unit>" on the
 * terminal, and ", N KiB" if @p bytes (received so far) is not 0. Nothing
 * happens off a terminal.
 */
void ui_progress(const char *verb, const char *label, size_t done, size_t total, const char *unit,
                 size_t bytes);

/** Erase the progress bar line, if one is drawn. */
void ui_progress_end(void);

/** Print @p json to stdout (formatted) and free it. @return 0, or -1 on write failure. */
int ui_print_json(struct cJSON *json);

#endif
