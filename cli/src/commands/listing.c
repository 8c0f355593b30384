#include "listing.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bsp.h"
#include "fsutil.h"
#include "session.h"
#include "source.h"
#include "template.h"
#include "ui.h"

#define MAX_COLS 6

/* A text table: every column padded to its widest cell but the last. */
struct table {
    size_t n_cols, n_rows;
    char *(*rows)[MAX_COLS]; /* rows[0] is the heading */
};

static void table_add(struct table *t, char *const cells[MAX_COLS])
{
    t->rows = xrealloc(t->rows, (t->n_rows + 1) * sizeof(*t->rows));
    for (size_t c = 0; c < MAX_COLS; c++) {
        t->rows[t->n_rows][c] = c < t->n_cols ? xstrdup(cells[c]) : NULL;
    }
    t->n_rows++;
}

static void table_print(const struct table *t)
{
    int w[MAX_COLS] = {0};
    for (size_t r = 0; r < t->n_rows; r++) {
        for (size_t c = 0; c < t->n_cols; c++) {
            int len = (int)strlen(t->rows[r][c]);
            w[c] = len > w[c] ? len : w[c];
        }
    }
    for (size_t r = 0; r < t->n_rows; r++) {
        for (size_t c = 0; c + 1 < t->n_cols; c++) {
            printf("%-*s  ", w[c], t->rows[r][c]);
        }
        printf("%s\n", t->rows[r][t->n_cols - 1]);
    }
}

static void table_free(struct table *t)
{
    for (size_t r = 0; r < t->n_rows; r++) {
        for (size_t c = 0; c < t->n_cols; c++) {
            free(t->rows[r][c]);
        }
    }
    free(t->rows);
}

/* Board @p name's bsp.yaml as this machine has it (nothing is fetched).
 * @return 0 with @p b filled, 1 if it is not here, or -1 (warned). */
static int peek_bsp(struct session *s, const char *name, struct bsp *b)
{
    const struct reg_package *p = registry_find(&s->reg, name);
    char *text = NULL;
    size_t len = 0;
    struct err e = {0};
    int rc = p == NULL ? 1 : source_peek(s->f, &p->versions[0], "bsp.yaml", &text, &len, &e);
    if (rc == 0 && (text == NULL || bsp_parse("bsp.yaml", text, len, b, &e) != 0)) {
        ui_warn("board '%s' is broken: %s", name, text == NULL ? "it has no bsp.yaml" : e.msg);
        rc = -1;
    } else if (rc < 0) {
        ui_warn("cannot read bsp.yaml of board '%s': %s", name, e.msg);
    }
    free(text);
    return rc;
}

/* The boards template version @p v supports (the rule cmrx new refuses
 * the others by: tmpl_supports()), from its template.yaml and the boards'
 * bsp.yaml as this machine has them (nothing is fetched): a JSON list of
 * names, the string "any" when every board is, or null when something
 * cannot be read here. */
static cJSON *template_boards(struct session *s, const struct reg_version *v)
{
    char *text = NULL;
    size_t len = 0;
    struct err e = {0};
    struct tmpl_meta meta = {0};
    int rc = source_peek(s->f, v, TEMPLATE_META, &text, &len, &e);
    if (rc < 0) {
        ui_warn("cannot read %s of template '%s': %s", TEMPLATE_META, v->pkg->name, e.msg);
    } else if (rc == 0 && text != NULL &&
               tmpl_meta_parse(TEMPLATE_META, text, len, &meta, &e) != 0) {
        ui_warn("template '%s' is broken: %s", v->pkg->name, e.msg);
        rc = -1;
    }
    free(text);
    if (rc != 0) {
        return cJSON_CreateNull();
    }
    if (meta.n_boards == 0 && v->n_periphs == 0) {
        return cJSON_CreateString("any");
    }
    cJSON *list = cJSON_CreateArray();
    /* template.yaml's boards, or every board of the registry. */
    size_t n = meta.n_boards > 0 ? meta.n_boards : s->reg.n_pkgs;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const char *board = meta.n_boards > 0 ? meta.boards[i].board : s->reg.pkgs[i].name;
        struct bsp b;
        char why[1024];
        if (meta.n_boards == 0 && s->reg.pkgs[i].kind != KIND_BSP) {
            continue;
        }
        /* A board the template requires nothing of needs no bsp.yaml; a
         * broken one is no board for it (warned). */
        int got = v->n_periphs > 0 ? peek_bsp(s, board, &b) : 0;
        rc = got > 0 ? 1 : 0;
        if (got == 0 &&
            tmpl_supports(&meta, v, board, v->n_periphs > 0 ? &b : NULL, why, sizeof(why))) {
            cJSON_AddItemToArray(list, cJSON_CreateString(board));
        }
        if (got == 0 && v->n_periphs > 0) {
            bsp_free(&b);
        }
    }
    tmpl_meta_free(&meta);
    if (rc != 0) {
        cJSON_Delete(list);
        return cJSON_CreateNull();
    }
    return list;
}

/* The BOARDS cell of a template: "any", "a, b" or "?". */
static char *boards_cell(const cJSON *boards)
{
    if (cJSON_IsString(boards)) {
        return xstrdup(boards->valuestring);
    }
    if (!cJSON_IsArray(boards)) {
        return xstrdup("?");
    }
    char *out = NULL;
    const cJSON *b;
    cJSON_ArrayForEach(b, boards)
    {
        list_add(&out, b->valuestring);
    }
    return out ? out : xstrdup("");
}

int listing_print(const struct cli *c, enum pkg_kind kind, struct err *e)
{
    struct session s = {0};
    if (session_registry(&s, c, e) != 0) {
        session_end(&s);
        return -1;
    }
    cJSON *arr = cJSON_CreateArray();
    struct table t = {.n_cols = kind == KIND_BSP ? 6 : 4};
    if (kind == KIND_BSP) {
        table_add(&t, (char *[]){"BOARD", "CPU", "QEMU", "PYOCD", "VERSION", "DESCRIPTION"});
    } else {
        table_add(&t, (char *[]){"TEMPLATE", "VERSION", "DESCRIPTION", "BOARDS", NULL, NULL});
    }
    bool unknown = false;
    for (size_t i = 0; i < s.reg.n_pkgs; i++) {
        const struct reg_package *p = &s.reg.pkgs[i];
        const struct reg_version *v = &p->versions[0];
        if (p->kind != kind) {
            continue;
        }
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "name", p->name);
        cJSON_AddStringToObject(o, "version", v->version);
        if (kind == KIND_BSP) {
            cJSON_AddStringToObject(o, "cpu", v->cpu);
            cJSON_AddItemToObject(o, "qemu",
                                  v->qemu ? cJSON_CreateString(v->qemu) : cJSON_CreateNull());
            cJSON_AddItemToObject(o, "pyocd",
                                  v->pyocd ? cJSON_CreateString(v->pyocd) : cJSON_CreateNull());
            table_add(&t, (char *[]){p->name, v->cpu ? v->cpu : "", v->qemu ? v->qemu : "-",
                                     v->pyocd ? v->pyocd : "-", v->version, p->description});
        } else {
            cJSON *boards = template_boards(&s, v);
            char *cell = boards_cell(boards);
            unknown = unknown || cJSON_IsNull(boards);
            cJSON_AddItemToObject(o, "boards", boards);
            table_add(&t, (char *[]){p->name, v->version, p->description, cell, NULL, NULL});
            free(cell);
        }
        cJSON_AddStringToObject(o, "description", p->description);
        cJSON_AddItemToArray(arr, o);
    }
    int rc = 0;
    size_t n = (size_t)cJSON_GetArraySize(arr);
    if (c->json) {
        rc = ui_print_json(arr);
    } else {
        cJSON_Delete(arr);
        if (n == 0) {
            ui_status("None", "the registry %s lists no %s", s.reg.index_name,
                      kind == KIND_BSP ? "boards" : "templates");
        } else {
            table_print(&t);
        }
        if (unknown) {
            ui_status("Note",
                      "BOARDS '?': the repository of the template or of a board is not on this "
                      "machine yet; `cmrx new` checks the board");
        }
    }
    table_free(&t);
    session_end(&s);
    return rc;
}
