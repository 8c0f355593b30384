#include "faults.h"

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fsutil.h"
#include "spawn.h"

/* A 64-bit ELF is the host simulation's program (board host): the host's
 * own addr2line reads it, and its code addresses have no Thumb bit; the
 * firmware of a board is 32-bit Arm. */
static bool host_elf(const char *elf)
{
    unsigned char ident[5] = {0};
    FILE *f = elf != NULL ? fopen(elf, "rb") : NULL;
    if (f != NULL) {
        size_t n = fread(ident, 1, sizeof(ident), f);
        fclose(f);
        return n == sizeof(ident) && memcmp(ident, "\177ELF", 4) == 0 && ident[4] == 2;
    }
    return false;
}

void fault_decoder_init(struct fault_decoder *d, const char *elf, const char *root)
{
    memset(d, 0, sizeof(*d));
    d->elf = elf;
    d->root = root;
    bool host = host_elf(elf);
    d->addr2line = spawn_find(host ? "addr2line" : "arm-none-eabi-addr2line");
    d->thumb = host ? 0u : 1u;
}

void fault_decoder_free(struct fault_decoder *d)
{
    free(d->addr2line);
    memset(d, 0, sizeof(*d));
}

char *fault_where(const struct fault_decoder *d, uint32_t addr)
{
    if (d->addr2line == NULL || d->elf == NULL) {
        return NULL;
    }
    char a[16];
    snprintf(a, sizeof(a), "0x%08" PRIx32, addr);
    char *argv[] = {d->addr2line, "-f", "-e", (char *)d->elf, a, NULL};
    struct spawn_result r;
    struct err e;
    char *out = NULL;
    if (spawn_capture(argv, NULL, &out, &r, &e) != 0) {
        return NULL;
    }
    char *where = NULL;
    char *nl = strchr(out, '\n');
    if (r.code == 0 && nl != NULL) {
        *nl = '\0';
        char *file = nl + 1;
        file[strcspn(file, "\n")] = '\0';
        char *disc = strstr(file, " (discriminator");
        if (disc != NULL) {
            *disc = '\0';
        }
        size_t n = d->root ? strlen(d->root) : 0;
        if (n > 0 && strncmp(file, d->root, n) == 0 && file[n] == '/') {
            file += n + 1;
        }
        bool known_fn = strcmp(out, "??") != 0;
        bool known_line = strncmp(file, "??", 2) != 0 && strstr(file, ":?") == NULL;
        if (known_fn && known_line) {
            where = xasprintf("%s (%s)", out, file);
        } else if (known_fn) {
            where = xstrdup(out);
        }
    }
    free(out);
    return where;
}

/* The hexadecimal number after @p key in @p line. */
static bool hex_after(const char *line, const char *key, uint32_t *v)
{
    const char *at = strstr(line, key);
    char *end;
    if (at == NULL) {
        return false;
    }
    at += strlen(key);
    errno = 0;
    unsigned long x = strtoul(at, &end, 16);
    if (end == at || errno != 0 || x > UINT32_MAX) {
        return false;
    }
    *v = (uint32_t)x;
    return true;
}

void fault_decode_line(struct fault_decoder *d, const char *line, size_t len, FILE *out)
{
    char *l = xmemdup(line, len);
    const char *k = strstr(l, "[cmrx] ");
    const char *rest = k ? k + 7 : NULL;
    uint32_t v;
    char *where = NULL;
    if (rest != NULL && strncmp(rest, "FAULT process=", 14) == 0) {
        d->have_pc = hex_after(rest, " pc=0x", &d->pc);
    } else if (rest != NULL && strncmp(rest, "  lr=0x", 7) == 0 && hex_after(rest, "lr=0x", &v)) {
        /* The faulting instruction itself; the LR is a return address,
         * one instruction past the call: its line is the call's. */
        char *pc = d->have_pc ? fault_where(d, d->pc) : NULL;
        where = (v & ~d->thumb) != 0 ? fault_where(d, (v & ~d->thumb) - 1u) : NULL;
        if (pc != NULL || where != NULL) {
            if (d->have_pc) {
                fprintf(out, "%.*s  pc 0x%08" PRIx32 "%s%s\n", (int)(k - l + 7), l, d->pc,
                        pc ? " in " : "", pc ? pc : "");
            }
            fprintf(out, "%.*s  lr 0x%08" PRIx32 "%s%s\n", (int)(k - l + 7), l, v,
                    where ? " in " : "", where ? where : "");
            free(pc);
            free(where);
            free(l);
            return;
        }
        free(pc);
    } else if (rest != NULL && strncmp(rest, "  rpc ", 6) == 0 &&
               hex_after(rest, " method=0x", &v) &&
               (where = fault_where(d, v & ~d->thumb)) != NULL) {
        /* "rpc N: A -> B method=0x..." becomes "rpc N: A -> B.fn (file:line)". */
        const char *m = strstr(l, " method=0x");
        fprintf(out, "%.*s.%s\n", (int)(m - l), l, where);
        free(where);
        free(l);
        return;
    }
    fwrite(line, 1, len, out);
    free(l);
}

void fault_decode_text(struct fault_decoder *d, const char *text, FILE *out)
{
    while (*text) {
        size_t n = strcspn(text, "\n");
        n += text[n] == '\n';
        fault_decode_line(d, text, n, out);
        text += n;
    }
}

void fault_filter(int in_fd, int out_fd, void *decoder)
{
    struct fault_decoder *d = decoder;
    FILE *out = fdopen(dup(out_fd), "w");
    if (out == NULL) {
        return;
    }
    setvbuf(out, NULL, _IONBF, 0);
    size_t cap = 4096, len = 0;
    char *buf = xmalloc(cap);
    bool midline = false; /* the start of this line went out undecoded */
    for (;;) {
        struct pollfd p = {.fd = in_fd, .events = POLLIN};
        int ready = poll(&p, 1, len > 0 ? 100 : -1);
        if (ready < 0 && errno == EINTR) {
            continue;
        }
        if (ready == 0) { /* a line that does not end soon: out as it is */
            fwrite(buf, 1, len, out);
            len = 0;
            midline = true;
            continue;
        }
        if (len == cap) {
            buf = xrealloc(buf, cap *= 2);
        }
        ssize_t n = read(in_fd, buf + len, cap - len);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            break;
        }
        len += (size_t)n;
        size_t from = 0;
        char *nl;
        while ((nl = memchr(buf + from, '\n', len - from)) != NULL) {
            size_t end = (size_t)(nl - buf) + 1;
            if (midline) {
                fwrite(buf + from, 1, end - from, out);
            } else {
                fault_decode_line(d, buf + from, end - from, out);
            }
            midline = false;
            from = end;
        }
        memmove(buf, buf + from, len - from);
        len -= from;
    }
    fwrite(buf, 1, len, out);
    free(buf);
    fclose(out);
}
