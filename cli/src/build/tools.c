#include "tools.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "spawn.h"

/* The first word of the first line of @p text that looks like a version (1.2, 3.25.1). */
static void version_in(const char *text, char *out, size_t n)
{
    snprintf(out, n, "installed");
    size_t line = strcspn(text, "\n");
    for (size_t i = 0; i < line;) {
        size_t w = strcspn(text + i, " \n");
        if (w > 2 && isdigit((unsigned char)text[i]) && strspn(text + i, "0123456789.") == w &&
            memchr(text + i, '.', w) != NULL) {
            snprintf(out, n, "%.*s", (int)w, text + i);
            return;
        }
        i += w + 1;
    }
}

/* Run @p path with @p args (NULL-terminated, after the program); its stdout in *out. */
static bool run_tool(const char *path, const char *a1, const char *a2, const char *a3, char **out)
{
    char *argv[] = {(char *)path, (char *)a1, (char *)a2, (char *)a3, NULL};
    struct spawn_result r;
    struct err e;
    *out = NULL;
    return spawn_capture(argv, NULL, out, &r, &e) == 0 && r.code == 0;
}

static bool t_version(const char *path, const char *min, char *detail, size_t n)
{
    char *out;
    bool ok = run_tool(path, "--version", NULL, NULL, &out);
    version_in(out ? out : "", detail, n);
    free(out);
    if (ok && min != NULL) {
        unsigned a = 0, b = 0, ma = 0, mb = 0;
        sscanf(detail, "%u.%u", &a, &b);
        sscanf(min, "%u.%u", &ma, &mb);
        if (a < ma || (a == ma && b < mb)) {
            snprintf(detail + strlen(detail), n - strlen(detail), ", %s or newer is needed", min);
            return false;
        }
    }
    return ok;
}

/* The C library for the cross compiler: newlib-nano, which the SDK links (nano.specs). */
static bool t_newlib(const char *path, const char *arg, char *detail, size_t n)
{
    char *out;
    bool ok = run_tool(path, "-print-file-name=nano.specs", NULL, NULL, &out);
    (void)arg;
    if (ok) {
        out[strcspn(out, "\n")] = '\0';
        ok = out[0] == '/' && path_exists(out);
    }
    char *real = ok ? path_absolute(out) : NULL;
    snprintf(detail, n, "%s", real ? real : "no nano.specs");
    free(real);
    free(out);
    return ok;
}

/* A library header the host compiler finds (the SDK's helper is built with it). */
static bool t_header(const char *path, const char *header, char *detail, size_t n)
{
    char *include = xasprintf("-include%s", header);
    char *out;
    bool ok = run_tool(path, "-fsyntax-only", include, "/dev/null", &out);
    snprintf(detail, n, "%s%s", ok ? "" : "no ", header);
    free(out);
    free(include);
    return ok;
}

const struct tool tools[] = {
    {"cmake", {"cmake"}, "cmake", "build", t_version, "3.24"},
    {"ninja", {"ninja"}, "ninja-build", "build", t_version, NULL},
    {"host C compiler", {"cc"}, "build-essential", "build", t_version, NULL},
    {"libyaml", {"cc"}, "libyaml-dev", "build", t_header, "yaml.h"},
    {"libcjson", {"cc"}, "libcjson-dev", "build", t_header, "cjson/cJSON.h"},
    {"arm-none-eabi-gcc", {"arm-none-eabi-gcc"}, "gcc-arm-none-eabi", "build", t_version, NULL},
    {"newlib", {"arm-none-eabi-gcc"}, "libnewlib-arm-none-eabi", "build", t_newlib, NULL},
    {"arm-none-eabi-objcopy",
     {"arm-none-eabi-objcopy"},
     "binutils-arm-none-eabi",
     "build",
     t_version,
     NULL},
    {"arm-none-eabi-addr2line",
     {"arm-none-eabi-addr2line"},
     "binutils-arm-none-eabi",
     "fault decoding",
     t_version,
     NULL},
    {"qemu-system-arm", {"qemu-system-arm"}, "qemu-system-arm", "run, debug", t_version, NULL},
    {"pyOCD", {"pyocd", "pyocd-flashtool"}, "python3-pyocd", "flash, debug", NULL, NULL},
    {"gdb", {"gdb-multiarch", "arm-none-eabi-gdb"}, "gdb-multiarch", "debug", t_version, NULL},
};
const size_t N_TOOLS = sizeof(tools) / sizeof(tools[0]);

/* The package of program @p prog, from the table. */
static const char *package_of(const char *prog)
{
    for (size_t i = 0; i < N_TOOLS; i++) {
        if (strcmp(tools[i].progs[0], prog) == 0 ||
            (tools[i].progs[1] != NULL && strcmp(tools[i].progs[1], prog) == 0)) {
            return tools[i].package;
        }
    }
    return NULL;
}

char *tool_require(const char *prog, const char *purpose, struct err *e)
{
    char *path = spawn_find(prog);
    if (path == NULL) {
        const char *pkg = package_of(prog);
        err_set(e, "%s needs %s, which is not installed (not found on PATH)", purpose, prog);
        err_hint(e,
                 "install Debian's %s (sudo apt-get install %s); `cmrx doctor` checks every "
                 "tool cmrx uses",
                 pkg ? pkg : prog, pkg ? pkg : prog);
    }
    return path;
}
