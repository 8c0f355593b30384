/* cmrx search [TERM]: list registry packages whose name, kind or
 * description contains TERM. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "session.h"
#include "ui.h"

static bool contains(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; hay != NULL && *hay; hay++) {
        if (strncasecmp(hay, needle, n) == 0) {
            return true;
        }
    }
    return n == 0;
}

static int run_search(const struct cli *c, struct err *e)
{
    struct session s = {0};
    const char *term = c->n_args ? c->args[0] : "";
    if (session_registry(&s, c, e) != 0) {
        session_end(&s);
        return -1;
    }
    cJSON *arr = cJSON_CreateArray();
    size_t hits = 0;
    for (size_t i = 0; i < s.reg.n_pkgs; i++) {
        const struct reg_package *p = &s.reg.pkgs[i];
        if (!contains(p->name, term) && !contains(p->description, term) &&
            !contains(pkg_kind_name(p->kind), term)) {
            continue;
        }
        if (c->json) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "name", p->name);
            cJSON_AddStringToObject(o, "kind", pkg_kind_name(p->kind));
            cJSON_AddStringToObject(o, "version", p->versions[0].version);
            cJSON_AddStringToObject(o, "description", p->description);
            cJSON_AddItemToArray(arr, o);
        } else {
            if (hits == 0) {
                printf("%-24s %-10s %-9s %s\n", "NAME", "KIND", "LATEST", "DESCRIPTION");
            }
            printf("%-24s %-10s %-9s %s\n", p->name, pkg_kind_name(p->kind), p->versions[0].version,
                   p->description);
        }
        hits++;
    }
    int rc = 0;
    if (c->json) {
        rc = ui_print_json(arr);
    } else {
        cJSON_Delete(arr);
        if (hits == 0) {
            ui_status("No match", "no package mentions '%s' (in %s)", term, s.reg.index_name);
        }
    }
    session_end(&s);
    return rc;
}

const struct command cmd_search = {
    .name = "search",
    .args = "[TERM]",
    .summary = "search the registry's packages",
    .help = "Lists the packages whose name, kind or description contains TERM (ignoring\n"
            "case); without TERM, every package. Shows the newest version of each.\n",
    .opts = OPT_JSON | OPT_OFFLINE | OPT_REGISTRY,
    .max_args = 1,
    .run = run_search,
};
