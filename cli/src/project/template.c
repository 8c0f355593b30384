#include "template.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bsp.h"
#include "fsutil.h"
#include "registry.h"
#include "yamldoc.h"

bool tmpl_var_name_valid(const char *s)
{
    if (s == NULL || *s == '\0' || strlen(s) > 64) {
        return false;
    }
    for (; *s; s++) {
        if (!isalnum((unsigned char)*s) && *s != '_') {
            return false;
        }
    }
    return true;
}

/* The scalar key of a mapping pair, or NULL. */
static const char *pair_key(struct ydoc *d, yaml_node_pair_t *p, yaml_node_t **key)
{
    *key = yaml_document_get_node(&d->doc, p->key);
    return ydoc_scalar(*key);
}

static int parse_vars(struct ydoc *d, yaml_node_t *v, const char *where, struct tmpl_board *b,
                      struct err *e)
{
    /* {} is a board the template is made for that needs no values. */
    if (v == NULL || v->type != YAML_MAPPING_NODE) {
        ydoc_fail(d, v, e, "'%s' must map placeholder names to values", where);
        return err_hint(e, "e.g. %s: { timer_base: \"0x40000000\", timer_irq: \"8\" }", b->board);
    }
    size_t n = (size_t)(v->data.mapping.pairs.top - v->data.mapping.pairs.start);
    b->vars = xcalloc(n, sizeof(*b->vars));
    for (yaml_node_pair_t *p = v->data.mapping.pairs.start; p < v->data.mapping.pairs.top; p++) {
        yaml_node_t *kn, *vn = yaml_document_get_node(&d->doc, p->value);
        const char *name = pair_key(d, p, &kn);
        if (!tmpl_var_name_valid(name)) {
            ydoc_fail(d, kn, e, "'%s': '%s' cannot name a placeholder", where, name ? name : "?");
            return err_hint(e, "placeholder names are letters, digits and '_', used as ${NAME}");
        }
        if (strcmp(name, "name") == 0 || strcmp(name, "board") == 0) {
            ydoc_fail(d, kn, e, "'%s': ${%s} is filled by cmrx new; it cannot be given here", where,
                      name);
            return err_hint(e, "choose another placeholder name");
        }
        for (size_t i = 0; i < b->n_vars; i++) {
            if (strcmp(b->vars[i].name, name) == 0) {
                ydoc_fail(d, kn, e, "'%s': '%s' appears twice", where, name);
                return err_hint(e, "keep one of them");
            }
        }
        const char *value = ydoc_scalar(vn);
        if (value == NULL || ydoc_is_null(vn)) {
            ydoc_fail(d, vn, e, "'%s.%s' must be a string", where, name);
            return err_hint(e, "write an empty value as \"\"");
        }
        b->vars[b->n_vars].name = xstrdup(name);
        b->vars[b->n_vars].value = xstrdup(value);
        b->n_vars++;
    }
    return 0;
}

static const struct tmpl_var *find_var(const struct tmpl_board *b, const char *name)
{
    for (size_t i = 0; i < b->n_vars; i++) {
        if (strcmp(b->vars[i].name, name) == 0) {
            return &b->vars[i];
        }
    }
    return NULL;
}

/* Every board must fill the same placeholders: one left out would stay as
 * ${NAME} in the projects made for that board. */
static int same_vars(struct ydoc *d, yaml_node_t *at, const struct tmpl_board *first,
                     const struct tmpl_board *b, struct err *e)
{
    for (int pass = 0; pass < 2; pass++) {
        const struct tmpl_board *x = pass == 0 ? first : b, *y = pass == 0 ? b : first;
        for (size_t i = 0; i < x->n_vars; i++) {
            if (find_var(y, x->vars[i].name) == NULL) {
                ydoc_fail(d, at, e, "'boards.%s' %s '%s', which 'boards.%s' %s", b->board,
                          pass == 0 ? "lacks" : "gives", x->vars[i].name, first->board,
                          pass == 0 ? "gives" : "does not");
                return err_hint(e, "every board must give the same placeholders");
            }
        }
    }
    return 0;
}

static int f_boards(struct ydoc *d, yaml_node_t *v, const char *k, void *o, struct err *e)
{
    struct tmpl_meta *m = o;
    if (v == NULL || v->type != YAML_MAPPING_NODE ||
        v->data.mapping.pairs.top == v->data.mapping.pairs.start) {
        ydoc_fail(d, v, e, "'%s' must map board names to their placeholder values", k);
        return err_hint(e, "e.g.\n  boards:\n    qemu-mps2-an385: { timer_irq: \"8\" }");
    }
    size_t n = (size_t)(v->data.mapping.pairs.top - v->data.mapping.pairs.start);
    m->boards = xcalloc(n, sizeof(*m->boards));
    for (yaml_node_pair_t *p = v->data.mapping.pairs.start; p < v->data.mapping.pairs.top; p++) {
        yaml_node_t *kn;
        const char *board = pair_key(d, p, &kn);
        if (board == NULL || !name_is_valid(board)) {
            ydoc_fail(d, kn, e, "'%s': '%s' is not a board name", k, board ? board : "?");
            return err_hint(e, "board names are package names, e.g. qemu-mps2-an385; see "
                               "`cmrx boards`");
        }
        if (tmpl_meta_board(m, board) != NULL) {
            ydoc_fail(d, kn, e, "'%s': '%s' appears twice", k, board);
            return err_hint(e, "keep one of them");
        }
        struct tmpl_board *b = &m->boards[m->n_boards++];
        b->board = xstrdup(board);
        char *where = xasprintf("%s.%s", k, board);
        int rc = parse_vars(d, yaml_document_get_node(&d->doc, p->value), where, b, e);
        free(where);
        if (rc != 0 || same_vars(d, kn, &m->boards[0], b, e) != 0) {
            return -1;
        }
    }
    return 0;
}

int tmpl_meta_parse(const char *path, const char *text, size_t len, struct tmpl_meta *m,
                    struct err *e)
{
    static const struct ydoc_field top[] = {{"boards", true, f_boards}};
    struct ydoc d;
    memset(m, 0, sizeof(*m));
    if (ydoc_load(&d, path, text, len, e) != 0) {
        return -1;
    }
    int rc = ydoc_walk(&d, ydoc_root(&d), "", top, 1, m, e);
    ydoc_free(&d);
    if (rc != 0) {
        tmpl_meta_free(m);
    }
    return rc;
}

void tmpl_board_free(struct tmpl_board *b)
{
    for (size_t j = 0; j < b->n_vars; j++) {
        free(b->vars[j].name);
        free(b->vars[j].value);
    }
    free(b->vars);
    free(b->board);
    memset(b, 0, sizeof(*b));
}

void tmpl_meta_free(struct tmpl_meta *m)
{
    for (size_t i = 0; i < m->n_boards; i++) {
        tmpl_board_free(&m->boards[i]);
    }
    free(m->boards);
    memset(m, 0, sizeof(*m));
}

const struct tmpl_board *tmpl_meta_board(const struct tmpl_meta *m, const char *board)
{
    for (size_t i = 0; i < m->n_boards; i++) {
        if (strcmp(m->boards[i].board, board) == 0) {
            return &m->boards[i];
        }
    }
    return NULL;
}

char *tmpl_meta_board_list(const struct tmpl_meta *m)
{
    char *out = NULL;
    for (size_t i = 0; i < m->n_boards; i++) {
        list_add(&out, m->boards[i].board);
    }
    return out ? out : xstrdup("");
}

bool tmpl_supports(const struct tmpl_meta *m, const struct reg_version *v, const char *board,
                   const struct bsp *b, char *why, size_t n)
{
    char needs[512];
    if (m->n_boards > 0 && tmpl_meta_board(m, board) == NULL) {
        char *list = tmpl_meta_board_list(m);
        snprintf(why, n, "is not made for board '%s'; it supports %s", board, list);
        free(list);
        return false;
    }
    if (b != NULL && !registry_board_fits(v, b, needs, sizeof(needs))) {
        snprintf(why, n, "needs %s", needs);
        return false;
    }
    return true;
}

/* The placeholder at @p s ("${NAME}"), if NAME is one of @p vars. */
static const struct tmpl_var *placeholder_at(const char *s, const struct tmpl_var *vars, size_t n)
{
    if (s[0] != '$' || s[1] != '{') {
        return NULL;
    }
    size_t len = 0;
    while (isalnum((unsigned char)s[2 + len]) || s[2 + len] == '_') {
        len++;
    }
    if (len == 0 || s[2 + len] != '}') {
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        if (strlen(vars[i].name) == len && strncmp(vars[i].name, s + 2, len) == 0) {
            return &vars[i];
        }
    }
    return NULL;
}

char *tmpl_fill(const char *text, const struct tmpl_var *vars, size_t n)
{
    size_t out_len = 0, hits = 0;
    for (const char *s = text; *s; s++) {
        const struct tmpl_var *v = placeholder_at(s, vars, n);
        if (v != NULL) {
            out_len += strlen(v->value);
            s += strlen(v->name) + 2; /* the loop steps over the '}' */
            hits++;
        } else {
            out_len++;
        }
    }
    if (hits == 0) {
        return NULL;
    }
    char *out = xmalloc(out_len + 1), *o = out;
    for (const char *s = text; *s; s++) {
        const struct tmpl_var *v = placeholder_at(s, vars, n);
        if (v != NULL) {
            size_t vl = strlen(v->value);
            memcpy(o, v->value, vl);
            o += vl;
            s += strlen(v->name) + 2;
        } else {
            *o++ = *s;
        }
    }
    *o = '\0';
    return out;
}
