#include "ui.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static bool tty;
static bool colour;
static bool bar_drawn;

void ui_init(void)
{
    tty = isatty(STDERR_FILENO) != 0;
    const char *nc = getenv("NO_COLOR");
    const char *term = getenv("TERM");
    colour = tty && (nc == NULL || *nc == '\0') && !(term != NULL && strcmp(term, "dumb") == 0);
}

static const char *c_on(const char *code)
{
    return colour ? code : "";
}

static const char *c_off(void)
{
    return colour ? "\033[0m" : "";
}

/* Messages go to stderr, tables and results to stdout: what was printed
 * to stdout goes out first, so that where both reach one file or pipe the
 * message follows what it is about. */
static void messages_begin(void)
{
    fflush(stdout);
    ui_progress_end();
}

/*
 * Write message text @p s to stderr with its control characters (C0 but
 * the line breaks of @p lines, DEL, C1 in UTF-8) shown as \xNN: messages
 * quote names, URLs and link targets from packages and indexes, whose
 * escape sequences could otherwise clear the terminal or forge a message.
 */
size_t ui_control_len(const unsigned char *c)
{
    if (*c < 0x20 || *c == 0x7f) {
        return *c != '\0';
    }
    return c[0] == 0xc2 && c[1] >= 0x80 && c[1] <= 0x9f ? 2u : 0u;
}

static void put_text(const char *s, bool lines)
{
    const unsigned char *run = (const unsigned char *)s, *c = run;
    for (; *c; c++) {
        size_t n = ui_control_len(c);
        if (n != 0 && !(lines && (*c == '\n' || *c == '\t'))) {
            /* stderr is unbuffered: plain text goes out a run at a time. */
            fwrite(run, 1, (size_t)(c - run), stderr);
            c += n - 1u;
            fprintf(stderr, "\\x%02x", *c);
            run = c + 1;
        }
    }
    fwrite(run, 1, (size_t)(c - run), stderr);
}

static void put_textv(const char *fmt, va_list ap)
{
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, fmt, again);
    va_end(again);
    if (n < 0) {
        return;
    }
    char *text = malloc((size_t)n + 1);
    if (text != NULL) {
        vsnprintf(text, (size_t)n + 1, fmt, ap);
        put_text(text, true);
        free(text);
    }
}

void ui_error(const struct err *e)
{
    messages_begin();
    /* The message is one line; hints may have several (examples). */
    fprintf(stderr, "%serror:%s ", c_on("\033[1;31m"), c_off());
    put_text(e->msg, false);
    fputc('\n', stderr);
    if (e->hint[0] != '\0') {
        fprintf(stderr, "%shint:%s ", c_on("\033[1;36m"), c_off());
        put_text(e->hint, true);
        fputc('\n', stderr);
    }
}

void ui_warn(const char *fmt, ...)
{
    messages_begin();
    fprintf(stderr, "%swarning:%s ", c_on("\033[1;33m"), c_off());
    va_list ap;
    va_start(ap, fmt);
    put_textv(fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

void ui_status(const char *verb, const char *fmt, ...)
{
    messages_begin();
    fprintf(stderr, "%s%12s%s ", c_on("\033[1;32m"), verb, c_off());
    va_list ap;
    va_start(ap, fmt);
    put_textv(fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

void ui_progress(const char *verb, const char *label, size_t done, size_t total, const char *unit,
                 size_t bytes)
{
    /* Redraw at most 20 times a second, plus the final state once. */
    static struct timespec last;
    static size_t last_done = (size_t)-1;
    struct timespec now;
    if (!tty) {
        return;
    }
    clock_gettime(CLOCK_MONOTONIC, &now);
    long ms = (now.tv_sec - last.tv_sec) * 1000 + (now.tv_nsec - last.tv_nsec) / 1000000;
    bool final = total != 0 && done == total;
    if ((ms < 50 && !final) || (final && last_done == done)) {
        return;
    }
    last = now;
    last_done = done;
    enum { WIDTH = 30 };
    size_t fill = total ? done * WIDTH / total : 0;
    char bar[WIDTH + 1];
    for (size_t i = 0; i < WIDTH; i++) {
        bar[i] = i < fill ? '=' : (i == fill ? '>' : ' ');
    }
    bar[WIDTH] = '\0';
    fprintf(stderr, "\r%s%12s%s %-24.24s [%s] %3zu%% %zu/%zu %s", c_on("\033[1;36m"), verb, c_off(),
            label, bar, total ? done * 100 / total : 0, done, total, unit);
    if (bytes != 0) {
        fprintf(stderr, ", %.1f KiB", (double)bytes / 1024.0);
    }
    fputs("\033[K", stderr);
    fflush(stderr);
    bar_drawn = true;
}

void ui_progress_end(void)
{
    if (bar_drawn) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
        bar_drawn = false;
    }
}

int ui_print_json(cJSON *json)
{
    char *s = cJSON_Print(json);
    cJSON_Delete(json);
    if (s == NULL) {
        return -1;
    }
    int rc = (fputs(s, stdout) < 0 || fputc('\n', stdout) == EOF) ? -1 : 0;
    cJSON_free(s);
    return rc;
}
