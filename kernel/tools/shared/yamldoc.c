#include "yamldoc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "fsutil.h"

/* Line and column (1-based) of byte @p off of @p text, columns counted in
 * characters as libyaml counts them. */
static void position(const char *text, size_t len, size_t off, unsigned long *line,
                     unsigned long *col)
{
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < off && i < len; i++) {
        if (text[i] == '\n') {
            (*line)++;
            *col = 1;
        } else if (((unsigned char)text[i] & 0xC0) != 0x80) {
            (*col)++;
        }
    }
}

/* @return the offset of the first byte that does not start a valid UTF-8
 * sequence (overlong forms and surrogates included), or @p len. */
static size_t utf8_invalid(const unsigned char *u, size_t len)
{
    for (size_t i = 0; i < len;) {
        unsigned c = u[i];
        size_t n = c < 0x80             ? 1
                   : (c & 0xE0) == 0xC0 ? 2
                   : (c & 0xF0) == 0xE0 ? 3
                   : (c & 0xF8) == 0xF0 ? 4
                                        : 0;
        if (n == 0 || i + n > len) {
            return i;
        }
        uint32_t cp = n == 1 ? c : c & (0x7Fu >> n);
        for (size_t k = 1; k < n; k++) {
            if ((u[i + k] & 0xC0) != 0x80) {
                return i;
            }
            cp = cp << 6 | (u[i + k] & 0x3Fu);
        }
        static const uint32_t least[] = {0, 0, 0x80, 0x800, 0x10000};
        if (cp < least[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            return i;
        }
        i += n;
    }
    return len;
}

/* Only UTF-8 is read: the in-place editing of cmrx.yaml counts bytes as
 * UTF-8, and a NUL byte would end the text early for the C string code. */
static int check_encoding(const char *path, const char *text, size_t len, struct err *e)
{
    const unsigned char *u = (const unsigned char *)text;
    if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
        err_set(e, "%s: the file is UTF-16 text; cmrx reads UTF-8 only", path);
        return err_hint(e, "save it as UTF-8 (e.g. iconv -f UTF-16 -t UTF-8)");
    }
    const char *nul = memchr(text, '\0', len);
    if (nul != NULL) {
        unsigned long line, col;
        position(text, len, (size_t)(nul - text), &line, &col);
        err_set(e, "%s:%lu:%lu: a NUL byte: the file is not UTF-8 text", path, line, col);
        return err_hint(e, "save it as UTF-8 (a UTF-16 or binary file has NUL bytes)");
    }
    size_t bad = utf8_invalid(u, len);
    if (bad < len) {
        unsigned long line, col;
        position(text, len, bad, &line, &col);
        err_set(e, "%s:%lu:%lu: invalid UTF-8 (byte 0x%02x): the file is not UTF-8 text", path,
                line, col, u[bad]);
        return err_hint(e, "save it as UTF-8 (e.g. iconv -f LATIN1 -t UTF-8)");
    }
    return 0;
}

/* JSON is read through libyaml, which takes more than JSON (a trailing
 * comma, comments, single quotes); the JSON grammar itself is checked first
 * with cJSON, so that an index other tools cannot read is refused here too. */
static int check_json(const char *path, const char *text, size_t len, struct err *e)
{
    const char *end = NULL;
    cJSON *j = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    if (j != NULL) {
        cJSON_Delete(j);
        return 0;
    }
    size_t off = end != NULL && end >= text && end <= text + len ? (size_t)(end - text) : 0;
    size_t show = 0; /* up to 20 bytes of that line, within the text */
    while (off + show < len && show < 20 && text[off + show] != '\n') {
        show++;
    }
    unsigned long line, col;
    position(text, len, off, &line, &col);
    return err_set(e, "%s:%lu:%lu: invalid JSON near '%.*s'", path, line, col, (int)show,
                   show > 0 ? text + off : "");
}

static int load(struct ydoc *d, const char *path, bool json, const char *text, size_t len,
                struct err *e)
{
    yaml_parser_t p;
    d->path = path;
    d->json = json;
    if (check_encoding(path, text, len, e) != 0 || (json && check_json(path, text, len, e) != 0)) {
        return -1;
    }
    yaml_parser_initialize(&p);
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    if (!yaml_parser_load(&p, &d->doc)) {
        unsigned long line, col;
        if (p.error == YAML_READER_ERROR) { /* bad UTF-8: libyaml gives a byte offset only */
            position(text, len, p.problem_offset, &line, &col);
        } else {
            const yaml_mark_t *m = p.problem ? &p.problem_mark : &p.context_mark;
            line = (unsigned long)m->line + 1;
            col = (unsigned long)m->column + 1;
        }
        err_set(e, "%s:%lu:%lu: invalid %s: %s%s%s", path, line, col, json ? "JSON" : "YAML",
                p.problem ? p.problem : "syntax error", p.context ? " " : "",
                p.context ? p.context : "");
        err_hint(e, json ? "fix the JSON syntax there (a missing comma, quote or bracket)"
                         : "fix the syntax at that line (indentation, a missing ':' or quote)");
        yaml_parser_delete(&p);
        return -1;
    }
    /* A second document in the same file is almost certainly a mistake. */
    yaml_document_t extra;
    if (yaml_parser_load(&p, &extra)) {
        bool more = yaml_document_get_root_node(&extra) != NULL;
        unsigned long line = (unsigned long)extra.start_mark.line + 1;
        yaml_document_delete(&extra);
        if (more) {
            yaml_document_delete(&d->doc);
            yaml_parser_delete(&p);
            return err_set(e, "%s:%lu: a second %s document%s; only one is allowed", path, line,
                           json ? "JSON" : "YAML", json ? "" : " ('---')");
        }
    }
    yaml_parser_delete(&p);
    return 0;
}

int ydoc_load(struct ydoc *d, const char *path, const char *text, size_t len, struct err *e)
{
    return load(d, path, false, text, len, e);
}

int ydoc_load_json(struct ydoc *d, const char *path, const char *text, size_t len, struct err *e)
{
    return load(d, path, true, text, len, e);
}

void ydoc_free(struct ydoc *d)
{
    yaml_document_delete(&d->doc);
}

yaml_node_t *ydoc_root(struct ydoc *d)
{
    return yaml_document_get_root_node(&d->doc);
}

unsigned long ydoc_line(const yaml_node_t *n)
{
    return n ? (unsigned long)n->start_mark.line + 1 : 1ul;
}

int ydoc_fail(struct ydoc *d, const yaml_node_t *n, struct err *e, const char *fmt, ...)
{
    char msg[1536];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return err_set(e, "%s:%lu: %s", d->path, ydoc_line(n), msg);
}

const char *ydoc_scalar(const yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

bool ydoc_is_null(const yaml_node_t *n)
{
    if (n == NULL) {
        return true;
    }
    if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE) {
        return false;
    }
    const char *s = ydoc_scalar(n);
    return *s == '\0' || strcmp(s, "~") == 0 || strcmp(s, "null") == 0;
}

yaml_node_t *ydoc_node(struct ydoc *d, int id)
{
    return yaml_document_get_node(&d->doc, id);
}

yaml_node_t *ydoc_map_get(struct ydoc *d, yaml_node_t *map, const char *key, yaml_node_t **key_out)
{
    if (map == NULL || map->type != YAML_MAPPING_NODE) {
        return NULL;
    }
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = yaml_document_get_node(&d->doc, p->key);
        const char *ks = ydoc_scalar(k);
        if (ks != NULL && strcmp(ks, key) == 0) {
            if (key_out != NULL) {
                *key_out = k;
            }
            return yaml_document_get_node(&d->doc, p->value);
        }
    }
    return NULL;
}

static char *child_name(const char *where, const char *key)
{
    return where[0] ? xasprintf("%s.%s", where, key) : xstrdup(key);
}

int ydoc_walk(struct ydoc *d, yaml_node_t *map, const char *where, const struct ydoc_field *f,
              size_t nf, void *obj, struct err *e)
{
    if (map == NULL || map->type != YAML_MAPPING_NODE) {
        return where[0] ? ydoc_fail(d, map, e, "'%s' must be a mapping of keys to values", where)
                        : ydoc_fail(d, map, e, "the file must be a mapping of keys to values");
    }
    bool seen[32] = {false};
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = yaml_document_get_node(&d->doc, p->key);
        yaml_node_t *v = yaml_document_get_node(&d->doc, p->value);
        const char *ks = ydoc_scalar(k);
        size_t i = 0;
        while (i < nf && (ks == NULL || strcmp(ks, f[i].key) != 0)) {
            i++;
        }
        if (i == nf) {
            char *known = NULL;
            for (size_t j = 0; j < nf; j++) {
                list_add(&known, f[j].key);
            }
            ydoc_fail(d, k, e, "unknown key '%s%s%s'", where, where[0] ? "." : "",
                      ks ? ks : "(not a string)");
            err_hint(e, "known keys%s%s: %s", where[0] ? " of " : "", where, known);
            free(known);
            return -1;
        }
        if (seen[i]) {
            return ydoc_fail(d, k, e, "key '%s%s%s' appears twice", where, where[0] ? "." : "", ks);
        }
        seen[i] = true;
        char *child = child_name(where, ks);
        int rc = f[i].fn(d, v, child, obj, e);
        free(child);
        if (rc != 0) {
            return -1;
        }
    }
    for (size_t i = 0; i < nf; i++) {
        if (f[i].required && !seen[i]) {
            ydoc_fail(d, map, e, "missing key '%s%s%s'", where, where[0] ? "." : "", f[i].key);
            return err_hint(e, "add '%s:' %s", f[i].key,
                            where[0] ? "to that mapping" : "at the top level");
        }
    }
    return 0;
}

int ydoc_str(struct ydoc *d, yaml_node_t *n, const char *where, char **out, struct err *e)
{
    const char *s = ydoc_scalar(n);
    /* In JSON a string is quoted: 5 or true is a number or a boolean. */
    if (s == NULL || ydoc_is_null(n) || *s == '\0' ||
        (d->json && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE)) {
        return ydoc_fail(d, n, e, "'%s' must be a non-empty string", where);
    }
    free(*out);
    *out = xstrdup(s);
    return 0;
}

int ydoc_u32(struct ydoc *d, yaml_node_t *n, const char *where, uint32_t min, uint32_t max,
             uint32_t *out, struct err *e)
{
    const char *s = ydoc_scalar(n);
    if (s == NULL || *s == '\0' || *s == '-' || *s == '+' || *s == ' ' ||
        n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE) {
        return ydoc_fail(d, n, e, "'%s' must be a number", where);
    }
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    unsigned long long mul = 1;
    if (*end == 'K' || *end == 'k') {
        mul = 1024;
        end++;
    } else if (*end == 'M') {
        mul = 1024 * 1024;
        end++;
    }
    if (errno != 0 || end == s || *end != '\0' || v > 0xffffffffull / mul) {
        return ydoc_fail(d, n, e, "'%s' must be a number (decimal, 0x hex, K/M suffix), not '%s'",
                         where, s);
    }
    v *= mul;
    if (v < min || v > max) {
        return ydoc_fail(d, n, e, "'%s' is %llu; it must be %lu..%lu", where, v, (unsigned long)min,
                         (unsigned long)max);
    }
    *out = (uint32_t)v;
    return 0;
}

long ydoc_seq(struct ydoc *d, yaml_node_t *n, const char *where, const char *what, size_t min,
              size_t max, struct err *e)
{
    size_t count = n != NULL && n->type == YAML_SEQUENCE_NODE
                       ? (size_t)(n->data.sequence.items.top - n->data.sequence.items.start)
                       : 0;
    if (n == NULL || n->type != YAML_SEQUENCE_NODE || count < min) {
        return ydoc_fail(d, n, e, "'%s' must be %s", where, what);
    }
    if (count > max) {
        return ydoc_fail(d, ydoc_item(d, n, max), e,
                         "'%s' has %zu entries; at most %zu are allowed", where, count, max);
    }
    return (long)count;
}

yaml_node_t *ydoc_item(struct ydoc *d, yaml_node_t *n, size_t i)
{
    return yaml_document_get_node(&d->doc, n->data.sequence.items.start[i]);
}

int ydoc_walk_item(struct ydoc *d, yaml_node_t *n, size_t i, const char *where,
                   const struct ydoc_field *f, size_t nf, void *obj, struct err *e)
{
    char *name = xasprintf("%s[%zu]", where, i);
    int rc = ydoc_walk(d, ydoc_item(d, n, i), name, f, nf, obj, e);
    free(name);
    return rc;
}

int ydoc_bool(struct ydoc *d, yaml_node_t *n, const char *where, bool *out, struct err *e)
{
    const char *s = ydoc_scalar(n);
    if (s != NULL && (strcasecmp(s, "true") == 0 || strcasecmp(s, "yes") == 0)) {
        *out = true;
    } else if (s != NULL && (strcasecmp(s, "false") == 0 || strcasecmp(s, "no") == 0)) {
        *out = false;
    } else {
        return ydoc_fail(d, n, e, "'%s' must be true or false", where);
    }
    return 0;
}

int ydoc_str_list(struct ydoc *d, yaml_node_t *n, const char *where, char ***out, size_t *count,
                  struct err *e)
{
    long cnt = ydoc_seq(d, n, where, "a list, e.g. [a, b]", 0, (size_t)-1, e);
    if (cnt < 0) {
        return -1;
    }
    char **list = xcalloc((size_t)cnt + 1, sizeof(char *));
    for (size_t i = 0; i < (size_t)cnt; i++) {
        char *name = xasprintf("%s[%zu]", where, i);
        int rc = ydoc_str(d, ydoc_item(d, n, i), name, &list[i], e);
        free(name);
        if (rc != 0) {
            strv_free(list, i);
            return -1;
        }
    }
    *out = list;
    *count = (size_t)cnt;
    return 0;
}

/* ---- emitting ----------------------------------------------------------- */

static int write_cb(void *data, unsigned char *buf, size_t size)
{
    struct yemit *y = data;
    if (y->len + size + 1 > y->cap) {
        y->cap = (y->len + size + 1) * 2;
        y->buf = xrealloc(y->buf, y->cap);
    }
    memcpy(y->buf + y->len, buf, size);
    y->len += size;
    return 1;
}

static void emit(struct yemit *y, yaml_event_t *ev, int ok)
{
    if (!ok || !yaml_emitter_emit(&y->em, ev)) {
        y->failed = true;
    }
}

void yemit_begin(struct yemit *y)
{
    memset(y, 0, sizeof(*y));
    yaml_emitter_initialize(&y->em);
    yaml_emitter_set_output(&y->em, write_cb, y);
    yaml_emitter_set_unicode(&y->em, 1);
    yaml_emitter_set_width(&y->em, 100);
    yaml_emitter_set_indent(&y->em, 2);
    yaml_event_t ev;
    emit(y, &ev, yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING));
    emit(y, &ev, yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1));
    yemit_map(y, false);
}

void yemit_map(struct yemit *y, bool flow)
{
    yaml_event_t ev;
    emit(y, &ev,
         yaml_mapping_start_event_initialize(
             &ev, NULL, NULL, 1, flow ? YAML_FLOW_MAPPING_STYLE : YAML_BLOCK_MAPPING_STYLE));
}

void yemit_seq(struct yemit *y, bool flow)
{
    yaml_event_t ev;
    emit(y, &ev,
         yaml_sequence_start_event_initialize(
             &ev, NULL, NULL, 1, flow ? YAML_FLOW_SEQUENCE_STYLE : YAML_BLOCK_SEQUENCE_STYLE));
}

void yemit_map_end(struct yemit *y)
{
    yaml_event_t ev;
    emit(y, &ev, yaml_mapping_end_event_initialize(&ev));
}

void yemit_seq_end(struct yemit *y)
{
    yaml_event_t ev;
    emit(y, &ev, yaml_sequence_end_event_initialize(&ev));
}

void yemit_str(struct yemit *y, const char *s)
{
    yaml_event_t ev;
    emit(y, &ev,
         yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s, (int)strlen(s), 1, 1,
                                      YAML_ANY_SCALAR_STYLE));
}

void yemit_kv(struct yemit *y, const char *key, const char *value)
{
    yemit_str(y, key);
    yemit_str(y, value);
}

void yemit_klist(struct yemit *y, const char *key, char *const *list, size_t n)
{
    yemit_str(y, key);
    yemit_seq(y, true);
    for (size_t i = 0; i < n; i++) {
        yemit_str(y, list[i]);
    }
    yemit_seq_end(y);
}

void yemit_ku(struct yemit *y, const char *key, uint32_t value, bool hex)
{
    char buf[16];
    snprintf(buf, sizeof(buf), hex ? "0x%08x" : "%u", value);
    yemit_kv(y, key, buf);
}

int yemit_end(struct yemit *y, const char *header, char **out, size_t *len, struct err *e)
{
    yaml_event_t ev;
    yemit_map_end(y);
    emit(y, &ev, yaml_document_end_event_initialize(&ev, 1));
    emit(y, &ev, yaml_stream_end_event_initialize(&ev));
    yaml_emitter_flush(&y->em);
    bool failed = y->failed;
    const char *problem = y->em.problem;
    if (failed) {
        err_set(e, "cannot write YAML: %s", problem ? problem : "emitter error");
    }
    yaml_emitter_delete(&y->em);
    if (failed) {
        free(y->buf);
        return -1;
    }
    size_t hl = header ? strlen(header) : 0;
    char *text = xmalloc(hl + y->len + 1);
    memcpy(text, header ? header : "", hl);
    memcpy(text + hl, y->buf ? y->buf : "", y->len);
    text[hl + y->len] = '\0';
    free(y->buf);
    *out = text;
    *len = hl + y->len;
    return 0;
}
