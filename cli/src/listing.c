#include "listing.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

#include "session.h"
#include "ui.h"

/* Width of the widest of a column's cells (at least the heading). */
static int width(const struct registry *r, enum pkg_kind kind, int col, const char *heading)
{
    size_t w = strlen(heading);
    for (size_t i = 0; i < r->n_pkgs; i++) {
        const struct reg_package *p = &r->pkgs[i];
        const struct reg_version *v = &p->versions[0];
        const char *cell = col == 0 ? p->name : col == 1 ? v->cpu : col == 2 ? v->qemu : v->pyocd;
        if (p->kind == kind && cell != NULL && strlen(cell) > w) {
            w = strlen(cell);
        }
    }
    return (int)w;
}

static void print_row(const struct registry *r, enum pkg_kind kind, const char *cells[6])
{
    if (kind == KIND_BSP) {
        printf("%-*s  %-*s  %-*s  %-*s  %-7s  %s\n", width(r, kind, 0, "BOARD"), cells[0],
               width(r, kind, 1, "CPU"), cells[1], width(r, kind, 2, "QEMU"), cells[2],
               width(r, kind, 3, "PYOCD"), cells[3], cells[4], cells[5]);
    } else {
        printf("%-*s  %-7s  %s\n", width(r, kind, 0, "TEMPLATE"), cells[0], cells[4], cells[5]);
    }
}

int listing_print(const struct cli *c, enum pkg_kind kind, struct err *e)
{
    struct session s = {0};
    if (session_registry(&s, c, e) != 0) {
        session_end(&s);
        return -1;
    }
    cJSON *arr = cJSON_CreateArray();
    size_t n = 0;
    for (size_t i = 0; i < s.reg.n_pkgs; i++) {
        const struct reg_package *p = &s.reg.pkgs[i];
        const struct reg_version *v = &p->versions[0];
        if (p->kind != kind) {
            continue;
        }
        if (c->json) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "name", p->name);
            cJSON_AddStringToObject(o, "version", v->version);
            if (kind == KIND_BSP) {
                cJSON_AddStringToObject(o, "cpu", v->cpu);
                cJSON_AddItemToObject(o, "qemu",
                                      v->qemu ? cJSON_CreateString(v->qemu) : cJSON_CreateNull());
                cJSON_AddItemToObject(o, "pyocd",
                                      v->pyocd ? cJSON_CreateString(v->pyocd) : cJSON_CreateNull());
            }
            cJSON_AddStringToObject(o, "description", p->description);
            cJSON_AddItemToArray(arr, o);
        } else {
            if (n == 0) {
                const char *head[6] = {kind == KIND_BSP ? "BOARD" : "TEMPLATE",
                                       "CPU",
                                       "QEMU",
                                       "PYOCD",
                                       "VERSION",
                                       "DESCRIPTION"};
                print_row(&s.reg, kind, head);
            }
            const char *row[6] = {p->name,
                                  v->cpu ? v->cpu : "",
                                  v->qemu ? v->qemu : "-",
                                  v->pyocd ? v->pyocd : "-",
                                  v->version,
                                  p->description};
            print_row(&s.reg, kind, row);
        }
        n++;
    }
    int rc = 0;
    if (c->json) {
        rc = ui_print_json(arr);
    } else {
        cJSON_Delete(arr);
        if (n == 0) {
            ui_status("None", "the registry %s lists no %s", s.reg.index_name,
                      kind == KIND_BSP ? "boards" : "templates");
        }
    }
    session_end(&s);
    return rc;
}
