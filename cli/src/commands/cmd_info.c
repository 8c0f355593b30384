/* cmrx info PKG: everything the registry says about one package. */
#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "session.h"
#include "ui.h"

/* A version as --json prints it; the text form is printed from it too. */
static cJSON *version_json(const struct reg_version *v)
{
    static const struct {
        const char *key;
        size_t at;
    } strings[] = {
        {"version", offsetof(struct reg_version, version)},
        {"git", offsetof(struct reg_version, git)},
        {"tag", offsetof(struct reg_version, tag)},
        {"branch", offsetof(struct reg_version, branch)},
        {"commit", offsetof(struct reg_version, commit)},
        {"subdir", offsetof(struct reg_version, subdir)},
        {"checksum", offsetof(struct reg_version, checksum)},
        {"cpu", offsetof(struct reg_version, cpu)},
        {"qemu", offsetof(struct reg_version, qemu)},
        {"pyocd", offsetof(struct reg_version, pyocd)},
    };
    cJSON *o = cJSON_CreateObject();
    for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++) {
        const char *value = *(char *const *)((const char *)v + strings[i].at);
        if (value != NULL) {
            cJSON_AddStringToObject(o, strings[i].key, value);
        }
    }
    cJSON *req = cJSON_AddObjectToObject(o, "requires");
    if (v->has_kernel) {
        cJSON_AddStringToObject(req, "kernel", v->kernel.text);
    }
    if (v->n_cpus) {
        cJSON_AddItemToObject(
            req, "cpus", cJSON_CreateStringArray((const char *const *)v->cpus, (int)v->n_cpus));
    }
    cJSON *deps = v->n_deps ? cJSON_AddObjectToObject(req, "dependencies") : NULL;
    for (size_t i = 0; i < v->n_deps; i++) {
        cJSON_AddStringToObject(deps, v->deps[i].name, v->deps[i].c.text);
    }
    return o;
}

/* Member @p key of @p o as text, or "" (with @p before in front when there is one). */
static const char *field(const cJSON *o, const char *key)
{
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(m) ? m->valuestring : "";
}

static void print_version(const cJSON *o)
{
    const cJSON *req = cJSON_GetObjectItemCaseSensitive(o, "requires"), *it;
    printf("  %s\n    source:   %s", field(o, "version"), field(o, "git"));
    static const char *const refs[] = {"subdir", "tag", "branch"};
    for (size_t i = 0; i < 3; i++) {
        if (*field(o, refs[i])) {
            printf(" %s %s", refs[i], field(o, refs[i]));
        }
    }
    printf(*field(o, "commit") ? " commit %.12s\n" : "%s\n", field(o, "commit"));
    if (*field(o, "checksum")) {
        printf("    checksum: %s\n", field(o, "checksum"));
    }
    if (*field(o, "cpu")) {
        printf("    cpu:      %s%s%s%s%s\n", field(o, "cpu"),
               *field(o, "qemu") ? ", QEMU machine " : "", field(o, "qemu"),
               *field(o, "pyocd") ? ", pyOCD target " : "", field(o, "pyocd"));
    }
    if (*field(req, "kernel")) {
        printf("    kernel:   %s\n", field(req, "kernel"));
    }
    const cJSON *cpus = cJSON_GetObjectItemCaseSensitive(req, "cpus");
    cJSON_ArrayForEach(it, cpus)
    {
        printf("%s %s%s", it == cpus->child ? "    cpus:    " : "", it->valuestring,
               it->next ? "" : "\n");
    }
    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(req, "dependencies"))
    {
        printf("    needs:    %s %s\n", it->string, it->valuestring);
    }
}

static int run_info(const struct cli *c, struct err *e)
{
    struct session s = {0};
    if (session_registry(&s, c, e) != 0) {
        session_end(&s);
        return -1;
    }
    const struct reg_package *p = registry_find(&s.reg, c->args[0]);
    int rc = 0;
    if (p == NULL) {
        char *sim = registry_suggest(&s.reg, c->args[0]);
        rc = err_set(e, "unknown package '%s': it is not in the registry %s", c->args[0],
                     s.reg.index_name);
        err_hint(e, sim ? "similar names: %s" : "`cmrx search` lists every package%s",
                 sim ? sim : "");
        free(sim);
    } else if (c->json) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "name", p->name);
        cJSON_AddStringToObject(o, "kind", pkg_kind_name(p->kind));
        cJSON_AddStringToObject(o, "description", p->description);
        if (p->license) {
            cJSON_AddStringToObject(o, "license", p->license);
        }
        if (p->homepage) {
            cJSON_AddStringToObject(o, "homepage", p->homepage);
        }
        cJSON *vs = cJSON_AddArrayToObject(o, "versions");
        for (size_t i = 0; i < p->n_versions; i++) {
            cJSON_AddItemToArray(vs, version_json(&p->versions[i]));
        }
        rc = ui_print_json(o);
    } else {
        printf("%s (%s): %s\n", p->name, pkg_kind_name(p->kind), p->description);
        if (p->license) {
            printf("license: %s\n", p->license);
        }
        if (p->homepage) {
            printf("homepage: %s\n", p->homepage);
        }
        printf("versions (newest first):\n");
        for (size_t i = 0; i < p->n_versions; i++) {
            cJSON *v = version_json(&p->versions[i]);
            print_version(v);
            cJSON_Delete(v);
        }
    }
    session_end(&s);
    return rc;
}

const struct command cmd_info = {
    .name = "info",
    .args = "PKG",
    .summary = "show a package's versions, sources and requirements",
    .help = "Prints what the registry index says about PKG: kind, description and, for every\n"
            "version, where its sources are (git URL, tag/branch/commit, subdir), its\n"
            "checksum and its requirements (kernel, CPUs, dependencies). \".\" as git URL\n"
            "means the registry's own repository.\n",
    .opts = OPT_JSON | OPT_OFFLINE | OPT_REGISTRY,
    .min_args = 1,
    .max_args = 1,
    .run = run_info,
};
