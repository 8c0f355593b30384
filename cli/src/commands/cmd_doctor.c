/* cmrx doctor: are the tools cmrx drives installed? Each missing one is
 * named with the Debian package that provides it. Then the user's
 * configuration: its file, and each mirror with whether it is there. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "config.h"
#include "fetch.h"
#include "fsutil.h"
#include "spawn.h"
#include "tools.h"
#include "ui.h"

/* One check as --json prints it; @p package NULL: none to install. */
static void json_check(cJSON *arr, const char *tool, bool ok, const char *path, const char *detail,
                       const char *package, const char *needed_by)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "tool", tool);
    cJSON_AddBoolToObject(o, "ok", ok);
    cJSON_AddItemToObject(o, "path", path ? cJSON_CreateString(path) : cJSON_CreateNull());
    cJSON_AddStringToObject(o, "detail", detail);
    cJSON_AddItemToObject(o, "package", package ? cJSON_CreateString(package) : cJSON_CreateNull());
    cJSON_AddStringToObject(o, "needed_by", needed_by);
    cJSON_AddItemToArray(arr, o);
}

/* The configuration file and its mirrors (a second table); each mirror
 * that is not there counts as a failed check, as does a broken file.
 * @return the number of failed checks; *n_checks gets how many were made. */
static size_t check_config(const struct cli *c, cJSON *arr, size_t *n_checks, char **fix)
{
    static const char needed[] = "add, update, fetch, new";
    struct config cfg;
    struct err ce = {0};
    bool ok = config_load(&cfg, &ce) == 0;
    char detail[2200];
    if (!ok) {
        snprintf(detail, sizeof(detail), "%s", ce.msg);
    } else {
        snprintf(detail, sizeof(detail), "%s, %zu mirror%s%s", cfg.exists ? "read" : "no such file",
                 cfg.n_mirrors, cfg.n_mirrors == 1 ? "" : "s",
                 cfg.from_env ? " (from CMRX_CONFIG)" : "");
    }
    if (c->json) {
        json_check(arr, "config", ok, cfg.path, detail, NULL, needed);
    } else {
        printf("\nCONFIG  %s%s%s\n", ok ? cfg.path : "BROKEN: ", ok ? ": " : "", detail);
        if (cfg.n_mirrors > 0) {
            printf("%-50s %-8s %s\n", "MIRROR OF", "STATUS", "MIRROR");
        }
    }
    *n_checks = 1 + cfg.n_mirrors;
    size_t failed = !ok;
    if (cfg.n_mirrors > 0) {
        git_needed(); /* to tell a repository from a folder */
    }
    for (size_t i = 0; i < cfg.n_mirrors; i++) {
        const struct config_mirror *m = &cfg.mirrors[i];
        struct err ignored;
        const char *what, *status = "ok";
        if (!m->local) {
            what = "a remote, reached when used";
        } else if (!is_dir(m->target)) {
            what = path_exists(m->target) ? "not a folder" : "does not exist";
            status = path_exists(m->target) ? "BROKEN" : "MISSING";
        } else if (config_mirror_check(&cfg, m, m->prefix, m->target, &ignored) == 0) {
            what = "git repository";
        } else {
            what = "folder (of mirrors, for a prefix)";
        }
        failed += status[0] != 'o';
        snprintf(detail, sizeof(detail), "%s (%s:%lu)", what, cfg.path, m->line);
        if (c->json) {
            char *tool = xasprintf("mirror of %s", m->prefix);
            json_check(arr, tool, status[0] == 'o', m->target, detail, NULL, needed);
            free(tool);
        } else {
            printf("%-50s %-8s %s: %s\n", m->prefix, status, m->target, what);
        }
    }
    if (!ok) {
        *fix = xasprintf("fix the configuration file (the CONFIG line)%s%s", ce.hint[0] ? ": " : "",
                         ce.hint);
    } else if (failed > 0) {
        *fix = xasprintf("make each mirror marked MISSING or BROKEN (`git clone --mirror URL "
                         "PATH`), or remove its key from %s",
                         cfg.path);
    }
    config_free(&cfg);
    return failed;
}

static int run_doctor(const struct cli *c, struct err *e)
{
    cJSON *arr = cJSON_CreateArray();
    char missing[512] = "";
    size_t n_missing = 0;
    int w = (int)strlen("TOOL"); /* the first column fits the longest name */
    for (size_t i = 0; i < N_TOOLS; i++) {
        if ((int)strlen(tools[i].name) > w) {
            w = (int)strlen(tools[i].name);
        }
    }
    if (!c->json) {
        printf("%-*s %-8s %-40s %-24s %s\n", w, "TOOL", "STATUS", "FOUND", "DEBIAN PACKAGE",
               "NEEDED BY cmrx");
    }
    for (size_t i = 0; i < N_TOOLS; i++) {
        const struct tool *k = &tools[i];
        char *path = spawn_find(k->progs[0]);
        if (path == NULL && k->progs[1] != NULL) {
            path = spawn_find(k->progs[1]);
        }
        char detail[256] = "";
        bool ok =
            path != NULL && (k->test == NULL || k->test(path, k->arg, detail, sizeof(detail)));
        if (path != NULL && k->test == NULL) {
            snprintf(detail, sizeof(detail), "%s", path);
        }
        if (!ok && strstr(missing, k->package) == NULL) {
            snprintf(missing + strlen(missing), sizeof(missing) - strlen(missing), " %s",
                     k->package);
        }
        n_missing += !ok;
        if (c->json) {
            json_check(arr, k->name, ok, path, path ? detail : "not found on PATH", k->package,
                       k->needed_by);
        } else {
            printf("%-*s %-8s %-40s %-24s %s\n", w, k->name, ok ? "ok" : "MISSING",
                   path ? detail : "not found on PATH", k->package, k->needed_by);
        }
        free(path);
    }
    size_t n_config;
    char *fix = NULL;
    size_t bad_config = check_config(c, arr, &n_config, &fix);
    if (c->json) {
        if (ui_print_json(arr) != 0) {
            free(fix);
            return err_set(e, "cannot write to stdout");
        }
    } else {
        cJSON_Delete(arr);
    }
    if (n_missing == 0 && bad_config == 0) {
        ui_status("Ready", "every tool cmrx uses is installed");
        return 0;
    }
    err_set(e, "%zu of %zu checks failed: cmrx cannot do everything on this machine",
            n_missing + bad_config, N_TOOLS + n_config);
    if (n_missing > 0) {
        err_hint(e, "sudo apt-get install%s%s%s", missing, fix ? "; then " : "", fix ? fix : "");
    } else {
        err_hint(e, "%s", fix);
    }
    free(fix);
    return -1;
}

const struct command cmd_doctor = {
    .name = "doctor",
    .args = "",
    .summary = "check the tools cmrx uses and name what to install",
    .help = "Checks that CMake (3.24 or newer), Ninja, the host C compiler with the libyaml\n"
            "and libcjson headers (for the SDK's build helper), arm-none-eabi-gcc with\n"
            "newlib, arm-none-eabi-objcopy and -addr2line (fault reports decoded), QEMU,\n"
            "pyOCD and gdb are installed, and prints for each missing one the Debian\n"
            "package that provides it and the commands that need it. Then shows\n"
            "the user's configuration file ($CMRX_CONFIG, else\n"
            "~/.config/cmrx/config.yaml) and checks each of its mirrors. The exit status\n"
            "is 1 if anything is missing.\n",
    .opts = OPT_JSON,
    .lazy_git = true,
    .run = run_doctor,
};
