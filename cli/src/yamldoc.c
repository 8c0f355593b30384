#include "yamldoc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fsutil.h"

int ydoc_load(struct ydoc *d, const char *path, const char *text, size_t len, struct err *e)
{
    yaml_parser_t p;
    d->path = path;
    yaml_parser_initialize(&p);
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    if (!yaml_parser_load(&p, &d->doc)) {
        const yaml_mark_t *m = p.problem ? &p.problem_mark : &p.context_mark;
        err_set(e, "%s:%lu:%lu: invalid YAML: %s%s%s", path, (unsigned long)m->line + 1,
                (unsigned long)m->column + 1, p.problem ? p.problem : "syntax error",
                p.context ? " " : "", p.context ? p.context : "");
        err_hint(e, "fix the syntax at that line (indentation, a missing ':' or quote)");
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
            return err_set(e, "%s:%lu: a second YAML document ('---'); only one is allowed", path,
                           line);
        }
    }
    yaml_parser_delete(&p);
    return 0;
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
        return ydoc_fail(d, map, e, "%s must be a mapping of keys to values",
                         where[0] ? where : "the file");
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
            char known[512] = "";
            for (size_t j = 0; j < nf; j++) {
                snprintf(known + strlen(known), sizeof(known) - strlen(known), "%s%s",
                         j ? ", " : "", f[j].key);
            }
            ydoc_fail(d, k, e, "unknown key '%s%s%s'", where, where[0] ? "." : "",
                      ks ? ks : "(not a string)");
            return err_hint(e, "known keys%s%s: %s", where[0] ? " of " : "", where, known);
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
    if (s == NULL || ydoc_is_null(n)) {
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
    if (n == NULL || n->type != YAML_SEQUENCE_NODE) {
        return ydoc_fail(d, n, e, "'%s' must be a list, e.g. [a, b]", where);
    }
    size_t cnt = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
    char **list = xcalloc(cnt + 1, sizeof(char *));
    size_t i = 0;
    for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
         it++, i++) {
        yaml_node_t *item = yaml_document_get_node(&d->doc, *it);
        char *name = xasprintf("%s[%zu]", where, i);
        int rc = ydoc_str(d, item, name, &list[i], e);
        free(name);
        if (rc != 0) {
            for (size_t j = 0; j < i; j++) {
                free(list[j]);
            }
            free(list);
            return -1;
        }
    }
    *out = list;
    *count = cnt;
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
