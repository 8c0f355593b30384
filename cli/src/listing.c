#include "listing.h"

#include <cjson/cJSON.h>
#include <stdio.h>

#include "session.h"
#include "ui.h"

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
        } else if (kind == KIND_BSP) {
            if (n == 0) {
                printf("%-22s %-14s %-12s %-8s %s\n", "BOARD", "CPU", "QEMU", "VERSION",
                       "DESCRIPTION");
            }
            printf("%-22s %-14s %-12s %-8s %s\n", p->name, v->cpu, v->qemu ? v->qemu : "-",
                   v->version, p->description);
        } else {
            if (n == 0) {
                printf("%-16s %-8s %s\n", "TEMPLATE", "VERSION", "DESCRIPTION");
            }
            printf("%-16s %-8s %s\n", p->name, v->version, p->description);
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
