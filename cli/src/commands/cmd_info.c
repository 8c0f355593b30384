/* cmrx info PKG: everything the registry says about one package. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "session.h"
#include "ui.h"

static cJSON *version_json(const struct reg_version *v)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "version", v->version);
    cJSON_AddStringToObject(o, "git", v->git);
    if (v->tag) {
        cJSON_AddStringToObject(o, "tag", v->tag);
    }
    if (v->branch) {
        cJSON_AddStringToObject(o, "branch", v->branch);
    }
    if (v->commit) {
        cJSON_AddStringToObject(o, "commit", v->commit);
    }
    if (v->subdir) {
        cJSON_AddStringToObject(o, "subdir", v->subdir);
    }
    if (v->checksum) {
        cJSON_AddStringToObject(o, "checksum", v->checksum);
    }
    if (v->cpu) {
        cJSON_AddStringToObject(o, "cpu", v->cpu);
    }
    if (v->qemu) {
        cJSON_AddStringToObject(o, "qemu", v->qemu);
    }
    if (v->pyocd) {
        cJSON_AddStringToObject(o, "pyocd", v->pyocd);
    }
    cJSON *req = cJSON_AddObjectToObject(o, "requires");
    if (v->has_kernel) {
        cJSON_AddStringToObject(req, "kernel", v->kernel.text);
    }
    if (v->n_cpus) {
        cJSON *cpus = cJSON_AddArrayToObject(req, "cpus");
        for (size_t i = 0; i < v->n_cpus; i++) {
            cJSON_AddItemToArray(cpus, cJSON_CreateString(v->cpus[i]));
        }
    }
    if (v->n_deps) {
        cJSON *deps = cJSON_AddObjectToObject(req, "dependencies");
        for (size_t i = 0; i < v->n_deps; i++) {
            cJSON_AddStringToObject(deps, v->deps[i].name, v->deps[i].c.text);
        }
    }
    return o;
}

static void print_version(const struct reg_version *v)
{
    printf("  %s\n    source:   %s%s%s", v->version, v->git, v->subdir ? " subdir " : "",
           v->subdir ? v->subdir : "");
    if (v->tag) {
        printf(" tag %s", v->tag);
    } else if (v->branch) {
        printf(" branch %s", v->branch);
    }
    if (v->commit) {
        printf(" commit %.12s", v->commit);
    }
    printf("\n");
    if (v->checksum) {
        printf("    checksum: %s\n", v->checksum);
    }
    if (v->cpu) {
        printf("    cpu:      %s%s%s%s%s\n", v->cpu, v->qemu ? ", QEMU machine " : "",
               v->qemu ? v->qemu : "", v->pyocd ? ", pyOCD target " : "", v->pyocd ? v->pyocd : "");
    }
    if (v->has_kernel) {
        printf("    kernel:   %s\n", v->kernel.text);
    }
    if (v->n_cpus) {
        printf("    cpus:    ");
        for (size_t i = 0; i < v->n_cpus; i++) {
            printf(" %s", v->cpus[i]);
        }
        printf("\n");
    }
    for (size_t i = 0; i < v->n_deps; i++) {
        printf("    needs:    %s %s\n", v->deps[i].name, v->deps[i].c.text);
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
            print_version(&p->versions[i]);
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
