#include "build.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmrx/update.h>

#include "fsutil.h"
#include "manifest.h"
#include "spawn.h"
#include "tools.h"
#include "qemu.h"
#include "ui.h"

/* The outputs' names in b->dir. */
static void name_outputs(struct build *b)
{
    free(b->dir);
    free(b->elf);
    free(b->hex);
    free(b->bin);
    free(b->size_json);
    b->dir = xasprintf("%s/build/%s/%s", b->root, b->board, b->profile);
    b->elf = xasprintf("%s/%s.elf", b->dir, b->name);
    b->hex = xasprintf("%s/%s.hex", b->dir, b->name);
    b->bin = xasprintf("%s/%s.bin", b->dir, b->name);
    b->size_json = xasprintf("%s/%s.size.json", b->dir, b->name);
}

int build_open(struct build *b, const struct project *p, const char *board, bool other_board,
               const char *profile, struct lock *lock, char **dirs, struct err *e)
{
    memset(b, 0, sizeof(*b));
    b->profile = profile;
    b->root = xstrdup(p->root);
    b->name = xstrdup(p->m.name);
    b->board = xstrdup(board);
    b->other_board = other_board;
    b->lock = *lock;
    b->pkg_dirs = dirs;
    memset(lock, 0, sizeof(*lock));
    for (size_t i = 0; i < b->lock.n; i++) {
        if (strcmp(b->lock.pkgs[i].name, b->board) == 0) {
            b->board_dir = xstrdup(b->pkg_dirs[i]);
        }
    }
    if (b->board_dir == NULL) { /* a lock always holds the board */
        return err_set(e, "board '%s' is not in the packages to build from", b->board);
    }
    b->bsp_path = path_join(b->board_dir, "bsp.yaml");
    if (bsp_load(b->bsp_path, &b->bsp, e) != 0) {
        return err_hint(e, "`cmrx fetch` restores packages/ from cmrx.lock");
    }
    b->has_bsp = true;
    name_outputs(b);
    return 0;
}

/* ---- the generated CMakeLists.txt ------------------------------------------ */

/* A CMake quoted argument. ';' (a list separator even when quoted) is refused earlier. */
static void quoted(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\' || *s == '$') {
            fputc('\\', f);
        }
        fputc(*s, f);
    }
    fputc('"', f);
}

/* The CMake variables the generated file keeps the components' declarations in. */
#define COMP_PROCS "${cmrx_component_processes}"
#define COMP_LIBS  "${cmrx_component_libraries}"

/* A list argument of the CMake SDK: " KEY a b", nothing if it is empty. */
static void emit_names(FILE *g, const char *key, char *const *names, size_t n)
{
    if (n > 0) {
        fprintf(g, " %s", key);
    }
    for (size_t i = 0; i < n; i++) {
        fprintf(g, " %s", names[i]);
    }
}

/* cmrx_add_process() for @p p of cmrx.yaml; @p libs: give it the components' libraries. */
static int emit_process(FILE *f, const struct build *b, const struct manifest *m,
                        const struct process_decl *p, bool libs, struct err *e)
{
    /* What cmrx.yaml adds on this board (boards.BOARD), after the process's own. */
    const struct board_override *bo = manifest_board(m, b->board);
    const struct board_process *bp = manifest_board_process(m, b->board, p->name);
    fprintf(f, "\n# cmrx.yaml:%lu\ncmrx_add_process(NAME %s\n    SOURCES", p->line, p->name);
    char **const srcs[] = {p->sources, bp ? bp->sources : NULL};
    const size_t ns[] = {p->n_sources, bp ? bp->n_sources : 0};
    for (int l = 0; l < 2; l++) {
        for (size_t i = 0; i < ns[l]; i++) {
            char *path = path_join(b->root, srcs[l][i]);
            struct stat st;
            if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
                err_set(e, "cmrx.yaml:%lu: process '%s': source '%s' %s", l ? bp->line : p->line,
                        p->name, srcs[l][i],
                        stat(path, &st) != 0 ? "does not exist" : "is not a file");
                err_hint(e, "paths in cmrx.yaml are relative to its folder, %s", b->root);
                free(path);
                return -1;
            }
            fputc(' ', f);
            quoted(f, path);
            free(path);
        }
    }
    char **const incs[] = {p->include_dirs, bp ? bp->include_dirs : NULL};
    const size_t ni[] = {p->n_include_dirs, bp ? bp->n_include_dirs : 0};
    if (ni[0] + ni[1] > 0) {
        fputs("\n    INCLUDE_DIRS", f);
    }
    for (int l = 0; l < 2; l++) {
        for (size_t i = 0; i < ni[l]; i++) {
            char *path = path_join(b->root, incs[l][i]);
            fputc(' ', f);
            quoted(f, path);
            free(path);
        }
    }
    if (libs) {
        fputs("\n    LIBS " COMP_LIBS, f);
    }
    /* The project's definitions and options, the board's, then the process's
     * own and its own on the board (later wins). */
    char **const defs[] = {m->defines, bo ? bo->defines : NULL, p->defines,
                           bp ? bp->defines : NULL};
    const size_t nd[] = {m->n_defines, bo ? bo->n_defines : 0, p->n_defines,
                         bp ? bp->n_defines : 0};
    char **const flags[] = {m->cflags, bo ? bo->cflags : NULL, p->cflags, bp ? bp->cflags : NULL};
    const size_t nf[] = {m->n_cflags, bo ? bo->n_cflags : 0, p->n_cflags, bp ? bp->n_cflags : 0};
    for (int kind = 0; kind < 2; kind++) {
        char **const *lists = kind ? flags : defs;
        const size_t *n = kind ? nf : nd;
        if (n[0] + n[1] + n[2] + n[3] > 0) {
            fputs(kind ? "\n    COMPILE_OPTIONS" : "\n    DEFINES", f);
        }
        for (int l = 0; l < 4; l++) {
            for (size_t i = 0; i < n[l]; i++) {
                fputc(' ', f);
                quoted(f, lists[l][i]);
            }
        }
    }
    /* The numbers and grants on a line of their own, if there are any. */
    char *opts = NULL;
    size_t n = 0;
    FILE *g = xmemstream(&opts, &n);
    /* The CMake SDK's arguments are the keys of cmrx.yaml in upper case. */
    for (size_t i = 0; i < PROCESS_NUMBERS; i++) {
        const struct process_number *num = &process_numbers[i];
        if (p->given & num->given) {
            fputc(' ', g);
            for (const char *c = num->key; *c; c++) {
                fputc(toupper((unsigned char)*c), g);
            }
            fprintf(g, " %u", (unsigned)process_number(p, num));
        }
    }
    for (size_t i = 0; i < p->n_mmio; i++) {
        fprintf(g, " MMIO 0x%08x:0x%x", (unsigned)p->mmio[i].base, (unsigned)p->mmio[i].size);
    }
    if (p->n_irqs > 0) {
        fputs(" IRQS", g);
    }
    for (size_t i = 0; i < p->n_irqs; i++) {
        fprintf(g, " %u", (unsigned)p->irqs[i]);
    }
    emit_names(g, "PERIPHERALS", p->peripherals, p->n_peripherals);
    emit_names(g, "CALLERS", p->callers, p->n_callers);
    if (p->given & PROC_GIVEN(fault_policy)) {
        fprintf(g, " FAULT_POLICY %s", fault_policy_name(p->fault_policy));
    }
    if (p->system) {
        fputs(" SYSTEM", g);
    }
    if (p->updater) {
        fputs(" UPDATER", g);
    }
    if (p->flash) {
        fputs(" FLASH", g);
    }
    fclose(g);
    fprintf(f, "%s%s)\n", n ? "\n   " : "", opts);
    free(opts);
    return 0;
}

/* The folder of every package, for components that build from another
 * package's files, and the settings of cmrx.yaml, before any
 * component.cmake. The CMake SDK names the variables that hold them
 * (cmrx_package_at(), cmrx_setting()). */
static int emit_package_dirs(FILE *f, const struct build *b, const struct manifest *m,
                             struct err *e)
{
    fputs("\n# where each package is; settings of cmrx.yaml\n", f);
    for (size_t i = 0; i < b->lock.n; i++) {
        fprintf(f, "cmrx_package_at(%s ", b->lock.pkgs[i].name);
        quoted(f, b->pkg_dirs[i]);
        fputs(")\n", f);
    }
    for (size_t i = 0; i < m->n_settings; i++) {
        const struct setting *st = &m->settings[i];
        if (lock_find(&b->lock, st->component) == NULL) {
            err_set(e, "cmrx.yaml:%lu: 'settings.%s' is for a package this project does not use",
                    st->line, st->component);
            return err_hint(e, "add it with `cmrx add %s`, or remove its settings", st->component);
        }
        fprintf(f, "cmrx_setting(%s %s \"%s\") # cmrx.yaml:%lu\n", st->component, st->key,
                st->value, st->line);
    }
    return 0;
}

/* Every peripheral a process asks for must be the board's: said here with
 * the line of cmrx.yaml, before CMake would say it without one. */
static int check_peripherals(const struct build *b, const struct manifest *m, struct err *e)
{
    for (size_t i = 0; b->has_bsp && i < m->n_procs; i++) {
        const struct process_decl *p = &m->procs[i];
        for (size_t k = 0; k < p->n_peripherals; k++) {
            if (bsp_peripheral(&b->bsp, p->peripherals[k]) != NULL) {
                continue;
            }
            char *have = xstrdup("");
            for (size_t j = 0; j < b->bsp.n_peripherals; j++) {
                char *more = xasprintf("%s%s%s", have, j ? ", " : "", b->bsp.peripherals[j].name);
                free(have);
                have = more;
            }
            err_set(e,
                    "cmrx.yaml:%lu: process '%s' asks for peripheral '%s', which board %s does "
                    "not have",
                    p->line, p->name, p->peripherals[k], b->board);
            err_hint(e, "its bsp.yaml names %s", *have ? have : "no peripherals");
            free(have);
            return -1;
        }
    }
    return 0;
}

/* include() of every component's component.cmake (docs/components.md). @return how many. */
static int emit_components(FILE *f, const struct build *b, size_t *n, struct err *e)
{
    *n = 0;
    for (size_t i = 0; i < b->lock.n; i++) {
        const struct lock_pkg *p = &b->lock.pkgs[i];
        if (p->kind != KIND_COMPONENT) {
            continue;
        }
        char *path = path_join(b->pkg_dirs[i], "component.cmake");
        if (!path_exists(path)) {
            err_set(e,
                    "component '%s' has no component.cmake (%s), so its processes cannot be "
                    "built",
                    p->name, build_shown(b, path));
            err_hint(e, "a component package declares its processes and client code in "
                        "component.cmake (docs/components.md); `cmrx fetch` restores packages/ "
                        "if it was deleted");
            free(path);
            return -1;
        }
        fprintf(f, "%s# component %s %s\ninclude(", *n ? "" : "\n", p->name, p->version);
        quoted(f, path);
        fputs(")\n", f);
        free(path);
        (*n)++;
    }
    if (*n > 0) {
        fputs("get_property(cmrx_component_processes GLOBAL PROPERTY CMRX_COMPONENT_PROCESSES)\n"
              "get_property(cmrx_component_libraries GLOBAL PROPERTY CMRX_COMPONENT_LIBRARIES)\n",
              f);
    }
    return 0;
}

/* A target test: its process, then its firmware with the processes it runs with. */
static void emit_test(FILE *f, const struct build *b, const struct manifest *m, const char *name,
                      bool libs)
{
    char *src = xasprintf("%s/" BUILD_TESTS_DIR "/%s.c", b->root, name);
    fprintf(f, "\n# " BUILD_TESTS_DIR "/%s.c\ncmrx_add_process(NAME %s\n    SOURCES ", name, name);
    quoted(f, src);
    free(src);
    /* It sees the headers the processes see: src/, include/ and theirs. */
    fputs("\n    INCLUDE_DIRS", f);
    const char *common[] = {"src", "include", BUILD_TESTS_DIR};
    for (size_t i = 0; i < 3; i++) {
        char *dir = path_join(b->root, common[i]);
        if (is_dir(dir)) {
            fputc(' ', f);
            quoted(f, dir);
        }
        free(dir);
    }
    for (size_t i = 0; i < m->n_procs; i++) {
        for (size_t j = 0; j < m->procs[i].n_include_dirs; j++) {
            char *dir = path_join(b->root, m->procs[i].include_dirs[j]);
            fputc(' ', f);
            quoted(f, dir);
            free(dir);
        }
    }
    fprintf(f, "%s\n    THREADS 1 STACK_SIZE 2048 SYSTEM)\n", libs ? "\n    LIBS " COMP_LIBS : "");
    fprintf(f, "cmrx_add_firmware(NAME test_%s PROCESSES", name);
    for (size_t i = 0; i < m->n_procs; i++) {
        if (!m->procs[i].system) {
            fprintf(f, " %s", m->procs[i].name);
        }
    }
    fprintf(f, " %s%s)\n", name, libs ? " " COMP_PROCS : "");
}

char *build_cmakelists(const struct build *b, const struct manifest *m, struct err *e)
{
    if (strpbrk(b->root, ";\n\"") != NULL) {
        err_set(e,
                "the project's path '%s' holds a ';', '\"' or a line break, which CMake "
                "cannot take",
                b->root);
        err_hint(e, "move the project to a folder whose path has none of them");
        return NULL;
    }
    const char *kernel_dir = NULL;
    for (size_t i = 0; i < b->lock.n; i++) {
        if (b->lock.pkgs[i].kind == KIND_KERNEL) {
            kernel_dir = b->pkg_dirs[i];
        }
    }
    if (m->n_procs == 0) {
        err_set(e, "cmrx.yaml declares no processes, and a firmware needs at least one");
        err_hint(e, "add one under 'processes:' (docs/project-files.md), e.g.\n  processes:\n"
                    "    - name: app\n      sources: [src/app.c]");
        return NULL;
    }
    if (kernel_dir == NULL) {
        err_set(e, "cmrx.lock locks no kernel");
        err_hint(e, "run `cmrx update` to resolve cmrx.yaml again");
        return NULL;
    }
    char *text = NULL;
    size_t len = 0;
    FILE *f = xmemstream(&text, &len);
    fprintf(f, "# Generated by cmrx build from cmrx.yaml and cmrx.lock. Do not edit: cmrx\n"
               "# writes it again when they change, and configures CMake again then.\n"
               "# Packages:\n");
    for (size_t i = 0; i < b->lock.n; i++) {
        const struct lock_pkg *p = &b->lock.pkgs[i];
        fprintf(f, "#   %s %s %s %s\n", p->name, p->version, p->checksum, b->pkg_dirs[i]);
    }
    fprintf(f, "cmake_minimum_required(VERSION 3.24)\nset(CMAKE_TOOLCHAIN_FILE ");
    /* Board host (the host simulation) builds with this machine's compiler. */
    char *toolchain =
        path_join(kernel_dir, build_is_host(b) ? "cmake/toolchain/host.cmake"
                                               : "cmake/toolchain/arm-none-eabi.cmake");
    char *sdk = path_join(kernel_dir, "cmake/cmrx.cmake");
    quoted(f, toolchain);
    /* compile_commands.json, for editors (linked from the project's root). */
    fprintf(f, ")\nproject(%s C ASM)\nset(CMAKE_EXPORT_COMPILE_COMMANDS ON)\n", b->name);
    if (b->trace) {
        fputs("set(CMRX_TRACE ON) # cmrx trace: the kernel trace (docs/debugging.md)\n", f);
    }
    if (build_is_host(b) && strcmp(b->profile, "release") != 0) {
        /* The host simulation checks process code as host tests are checked. */
        fputs("set(CMRX_SANITIZE address,undefined) # board host (docs/testing.md)\n", f);
    }
    fputs("include(", f);
    quoted(f, sdk);
    /* A project whose lock holds an older kernel package gets a way out,
     * not CMake's "Unknown CMake command" further down. */
    fprintf(f,
            ")\nif(NOT CMRX_CMAKE_API GREATER_EQUAL %d)\n"
            "    message(FATAL_ERROR \"packages/kernel is older than this cmrx: its "
            "cmake/cmrx.cmake has interface level ${CMRX_CMAKE_API} (none before 2026-12-05), "
            "this cmrx writes for level %d. `cmrx update kernel` moves it to the newest version "
            "cmrx.yaml allows\")\nendif()",
            BUILD_CMAKE_API, BUILD_CMAKE_API);
    fputs("\ncmrx_use_board(", f);
    quoted(f, b->board_dir);
    fputs(")\n", f);
    free(toolchain);
    free(sdk);
    size_t n_comps = 0;
    int rc = check_peripherals(b, m, e);
    if (rc == 0) {
        rc = emit_package_dirs(f, b, m, e);
    }
    if (rc == 0) {
        rc = emit_components(f, b, &n_comps, e);
    }
    /* Every process, also in a test build whose firmwares leave the system
     * processes out: the host tests of their code get their macros. */
    for (size_t i = 0; rc == 0 && i < m->n_procs; i++) {
        rc = emit_process(f, b, m, &m->procs[i], n_comps > 0, e);
    }
    if (!b->testing) {
        fprintf(f, "\ncmrx_add_firmware(NAME %s PROCESSES", b->name);
        for (size_t i = 0; i < m->n_procs; i++) {
            fprintf(f, " %s", m->procs[i].name);
        }
        fputs(n_comps > 0 ? " " COMP_PROCS ")\n" : ")\n", f);
        /* Each updatable process's image for slot B, which `cmrx deploy`
         * builds (target NAME.BUILD_SLOT_B) when the firmware runs from A. */
        for (size_t i = 0; i < m->n_procs; i++) {
            if (m->procs[i].flash_reserve != 0) {
                fprintf(f,
                        "cmrx_add_process_image(NAME %s FIRMWARE %s PROCESS %s "
                        "EXCLUDE_FROM_ALL)\n",
                        BUILD_SLOT_B, b->name, m->procs[i].name);
            }
        }
    }
    for (size_t t = 0; rc == 0 && t < b->n_tests; t++) {
        emit_test(f, b, m, b->tests[t], n_comps > 0);
    }
    fclose(f);
    if (rc != 0) {
        free(text);
        return NULL;
    }
    return text;
}

/* ---- target tests ------------------------------------------------------------ */

static int name_order(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The NAME of each @p sub/NAME.c of the project, sorted, into @p names; a
 * NAME that is no C identifier, or (with @p m) a process's, is an error. */
static int list_tests(const struct build *b, const char *sub, const struct manifest *m,
                      char ***names, size_t *n, struct err *e)
{
    char *dir = path_join(b->root, sub);
    DIR *d = opendir(dir);
    struct dirent *de;
    int rc = 0;
    while (d != NULL && rc == 0 && (de = dir_next(d)) != NULL) {
        size_t len = strlen(de->d_name);
        if (len < 3 || strcmp(de->d_name + len - 2, ".c") != 0) {
            continue;
        }
        char *name = xasprintf("%.*s", (int)(len - 2), de->d_name);
        bool taken = false;
        for (size_t i = 0; m != NULL && i < m->n_procs; i++) {
            taken = taken || strcmp(m->procs[i].name, name) == 0;
        }
        if (!process_name_valid(name) || taken) {
            rc = err_set(e,
                         taken ? "test %s/%s: its process is named after the file, and "
                                 "cmrx.yaml has a process '%s' already"
                               : "test %s/%s: a test is named after its file, and '%s' is not a "
                                 "C identifier of at most 32 characters",
                         sub, de->d_name, name);
            err_hint(e, "rename the file");
            free(name);
            break;
        }
        *names = xrealloc(*names, (*n + 1) * sizeof(**names));
        (*names)[(*n)++] = name;
    }
    if (d != NULL) {
        closedir(d);
    }
    free(dir);
    qsort(*names, *n, sizeof(**names), name_order);
    return rc;
}

void build_trace(struct build *b)
{
    b->trace = true;
    b->profile = "trace";
    name_outputs(b);
}

int build_tests(struct build *b, const struct manifest *m, struct err *e)
{
    if (list_tests(b, BUILD_TESTS_DIR, m, &b->tests, &b->n_tests, e) != 0 ||
        list_tests(b, BUILD_HOST_TESTS_DIR, NULL, &b->host_tests, &b->n_host_tests, e) != 0) {
        return -1;
    }
    if (b->n_tests + b->n_host_tests == 0) {
        err_set(e,
                "project %s has no tests: no " BUILD_HOST_TESTS_DIR "/NAME.c or " BUILD_TESTS_DIR
                "/NAME.c",
                b->name);
        return err_hint(e, "a host test is a CMocka program that tests a process's functions; "
                           "a target test, a process that checks the others and ends the "
                           "firmware with cmrx_shutdown(0) when they pass (docs/testing.md)");
    }
    /* Its own build folder: the firmware's stays as it is. */
    b->testing = true;
    b->profile = "test";
    free(b->dir);
    b->dir = xasprintf("%s/build/%s/test", b->root, b->board);
    return 0;
}

/* The response file of macros for host test @p test (a new string): those of
 * the process its name starts with (greeter_unit: greeter; the longest such
 * name), else the board's; NULL when the build tree has none. */
static char *host_test_defines(const struct build *b, const struct manifest *m, const char *test)
{
    const char *proc = NULL;
    for (size_t p = 0; p < m->n_procs; p++) {
        const char *name = m->procs[p].name;
        size_t n = strlen(name);
        if (strncmp(test, name, n) == 0 && (test[n] == 0 || test[n] == '_') &&
            (proc == NULL || n > strlen(proc))) {
            proc = name;
        }
    }
    char *rsp = proc != NULL ? xasprintf("%s/cmrx-defines/process-%s.rsp", b->dir, proc)
                             : xasprintf("%s/cmrx-defines/board.rsp", b->dir);
    if (!path_exists(rsp)) {
        free(rsp);
        return NULL;
    }
    return rsp;
}

int build_host_test(const struct build *b, const struct manifest *m, size_t i, char **exe,
                    struct argv *a, struct err *e)
{
    const char *kernel = NULL;
    for (size_t k = 0; k < b->lock.n; k++) {
        if (b->lock.pkgs[k].kind == KIND_KERNEL) {
            kernel = b->pkg_dirs[k];
        }
    }
    char *cc = tool_require("cc", "cmrx test", e);
    if (cc == NULL || kernel == NULL) {
        free(cc);
        return kernel == NULL ? err_set(e, "cmrx.lock locks no kernel") : -1;
    }
    char *dir = path_join(b->root, "build/host-test");
    if (mkdir_p(dir) != 0) {
        err_set(e, "cannot create %s: %s", dir, strerror(errno));
        free(dir);
        free(cc);
        return -1;
    }
    *exe = xasprintf("%s/%s", dir, b->host_tests[i]);
    free(dir);
    /* AddressSanitizer and UBSan: a bad pointer in process code fails the test here. */
    argv_add(a, cc, "-std=gnu11", "-g", "-O1", "-fsanitize=address,undefined",
             "-fno-omit-frame-pointer", "-fno-sanitize-recover=all", "-Wall", "-Wextra",
             "-DCMRX_HOST_UNIT", NULL);
    free(cc);
    /* The macros the firmware build gives the process under test (board,
     * peripherals, cmrx.yaml's defines), from the response file the SDK
     * wrote when build_configure() ran; a test of no one process's code
     * gets the board's. */
    char *rsp = host_test_defines(b, m, b->host_tests[i]);
    if (rsp == NULL) {
        return err_set(e, "the build in %s gave no macros for host tests", build_shown(b, b->dir));
    }
    argv_take(a, xasprintf("@%s", rsp));
    free(rsp);
    const char *common[] = {"src", "include", BUILD_HOST_TESTS_DIR};
    for (size_t k = 0; k < 3; k++) {
        char *inc = path_join(b->root, common[k]);
        if (is_dir(inc)) {
            argv_take(a, xasprintf("-I%s", inc));
        }
        free(inc);
    }
    for (size_t p = 0; p < m->n_procs; p++) {
        for (size_t k = 0; k < m->procs[p].n_include_dirs; k++) {
            argv_take(a, xasprintf("-I%s/%s", b->root, m->procs[p].include_dirs[k]));
        }
    }
    argv_take(a, xasprintf("-I%s/include", kernel));
    argv_take(a, xasprintf("%s/" BUILD_HOST_TESTS_DIR "/%s.c", b->root, b->host_tests[i]));
    const char *lib[] = {"lib/host/unit.c", "lib/format.c", "lib/printf.c", "lib/mutex.c",
                         "lib/owners.c"};
    for (size_t k = 0; k < sizeof(lib) / sizeof(lib[0]); k++) {
        argv_take(a, path_join(kernel, lib[k]));
    }
    argv_add(a, "-lcmocka", "-o", *exe, NULL);
    return 0;
}

char *build_test_elf(const struct build *b, size_t i)
{
    return xasprintf("%s/test_%s.elf", b->dir, b->tests[i]);
}

/* ---- configuring and building ---------------------------------------------- */

/* The value of @p key in the build tree's CMakeCache.txt (a new string), or NULL. */
static char *cache_value(const char *dir, const char *key)
{
    char *path = path_join(dir, "CMakeCache.txt");
    char *text = NULL, *out = NULL;
    size_t len;
    struct err ignored;
    if (read_file(path, &text, &len, &ignored) == 0) {
        for (char *line = text; line != NULL && *line; line = strchr(line, '\n')) {
            line += *line == '\n';
            size_t k = strlen(key);
            if (strncmp(line, key, k) == 0 && line[k] == ':') {
                char *eq = strchr(line, '=');
                size_t n = strcspn(eq + 1, "\n");
                out = xasprintf("%.*s", (int)n, eq + 1);
                break;
            }
        }
    }
    free(text);
    free(path);
    return out;
}

/* Print CMake's log without its "-- " progress lines. */
static void show_log(const char *path)
{
    FILE *f = fopen(path, "r");
    char line[4096];
    while (f != NULL && fgets(line, sizeof(line), f) != NULL) {
        if (strncmp(line, "-- ", 3) != 0) {
            fputs(line, stderr);
        }
    }
    if (f != NULL) {
        fclose(f);
    }
}

static int configure(const struct build *b, const char *gen_dir, const char *gen_path,
                     const char *text, const struct build_opts *o, struct err *e)
{
    char *tools[] = {"cmake", "ninja", "arm-none-eabi-gcc", "cc"};
    for (size_t i = 0; i < 4; i++) {
        char *p = tool_require(tools[i], "cmrx build", e);
        if (p == NULL) {
            return -1;
        }
        free(p);
    }
    /* A build tree made for another folder (the project was moved or copied) is stale. */
    char *home = cache_value(b->dir, "CMAKE_HOME_DIRECTORY");
    if (home != NULL && strcmp(home, gen_dir) != 0) {
        ui_status("Cleaning", "build/%s/%s (it was made for %s)", b->board, b->profile, home);
        rm_rf(b->dir);
    }
    free(home);
    if (mkdir_p(gen_dir) != 0) {
        return err_set(e, "cannot create %s: %s", gen_dir, strerror(errno));
    }
    if (write_file_atomic(gen_path, text, strlen(text), e) != 0) {
        return -1;
    }
    ui_status("Configuring", "%s for %s (%s)", b->name, b->board, b->profile);
    struct argv a = {0};
    argv_add(&a, "cmake", "-S", gen_dir, "-B", b->dir, "-G", "Ninja", NULL);
    argv_take(&a, xasprintf("-DCMAKE_BUILD_TYPE=%s",
                            strcmp(b->profile, "release") == 0 ? "MinSizeRel" : ""));
    char *log = path_join(b->dir, "cmrx-configure.log");
    int fd = o->verbose ? -1 : open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    struct spawn_opts so = {
        .out_fd = o->verbose ? o->out_fd : fd, .err_fd = o->verbose ? -1 : fd, .null_stdin = true};
    struct spawn_result r;
    int rc = spawn_run(a.v, &so, &r, e);
    if (fd >= 0) {
        close(fd);
    }
    if (rc == 0 && r.code != 0) {
        if (!o->verbose) {
            show_log(log);
        }
        rc = err_set(e, "CMake could not configure the build of %s for %s; its messages are above",
                     b->name, b->board);
        err_hint(e,
                 "the calls in %s name the line of cmrx.yaml each comes from; `cmrx build "
                 "--verbose` shows all of CMake's output",
                 gen_path);
    }
    if (rc != 0) {
        unlink(gen_path); /* configure again next time */
    }
    argv_free(&a);
    free(log);
    return rc;
}

static bool mtime_of(const char *path, struct timespec *t)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        return false;
    }
    *t = st.st_mtim;
    return true;
}

/* The project's compile_commands.json: a link to the one of the build of
 * cmrx.yaml's board, where editors (clangd, VS Code) look first. A file of
 * that name that is not such a link is the user's and stays. */
static void link_compile_commands(const struct build *b)
{
    char *at = path_join(b->root, "compile_commands.json");
    char *target = xasprintf("build/%s/%s/compile_commands.json", b->board, b->profile);
    char *full = path_join(b->root, target);
    char old[4096];
    ssize_t n = readlink(at, old, sizeof(old) - 1);
    struct stat st;
    bool ours = n > 0 && strncmp(old, "build/", 6) == 0;
    if (n > 0) {
        old[n] = '\0';
    }
    if (path_exists(full) && (ours || lstat(at, &st) != 0) && !(ours && strcmp(old, target) == 0)) {
        char *tmp = xasprintf("%s.cmrx-new", at);
        unlink(tmp);
        if (symlink(target, tmp) != 0 || rename(tmp, at) != 0) {
            unlink(tmp);
        }
        free(tmp);
    }
    free(full);
    free(target);
    free(at);
}

int build_configure(const struct build *b, const struct manifest *m, const struct build_opts *o,
                    struct err *e)
{
    char *text = build_cmakelists(b, m, e);
    if (text == NULL) {
        return -1;
    }
    char *gen_dir = path_join(b->dir, "cmrx");
    char *gen_path = path_join(gen_dir, "CMakeLists.txt");
    char *ninja_file = path_join(b->dir, "build.ninja");
    char *old = NULL;
    size_t old_len;
    struct err ignored;
    bool fresh = read_file(gen_path, &old, &old_len, &ignored) == 0 && strcmp(old, text) == 0 &&
                 path_exists(ninja_file);
    int rc = fresh ? 0 : configure(b, gen_dir, gen_path, text, o, e);
    free(old);
    free(text);
    free(ninja_file);
    free(gen_path);
    free(gen_dir);
    return rc;
}

int build_run(struct build *b, const struct manifest *m, const struct build_opts *o, bool *relinked,
              struct err *e)
{
    *relinked = false;
    int rc = build_configure(b, m, o, e);
    char *ninja = rc == 0 ? tool_require("ninja", "cmrx build", e) : NULL;
    if (ninja != NULL) {
        struct timespec before = {0, 0}, after = {0, 0};
        bool had = mtime_of(b->size_json, &before);
        struct argv a = {0};
        argv_add(&a, ninja, NULL);
        if (o->jobs > 0) {
            argv_add(&a, "-j", NULL);
            argv_take(&a, xasprintf("%u", o->jobs));
        }
        if (o->target != NULL) {
            argv_add(&a, "all", o->target, NULL);
        }
        int out_fd = o->out_fd >= 0 ? o->out_fd : STDOUT_FILENO;
        if (o->verbose) {
            argv_add(&a, "-v", NULL);
        } else if (o->quiet || !isatty(out_fd)) {
            argv_add(&a, "--quiet", NULL); /* no progress lines */
        }
        struct spawn_result r;
        struct spawn_opts so = {
            .cwd = b->dir, .out_fd = o->out_fd, .err_fd = -1, .null_stdin = true};
        /* Quiet, or read by a program: all but "ninja: no work to do.", which
         * says nothing `Finished` does not. On a terminal Ninja keeps its
         * own progress line, which needs the terminal. Its errors (CMake's,
         * when it configures again) stay on standard error. */
        pid_t filter = -1;
        if (!o->verbose && (o->quiet || !isatty(out_fd))) {
            filter = spawn_filter(out_fd, spawn_drop_lines, (void *)"ninja: no work to do.",
                                  &so.out_fd, e);
            rc = filter < 0 ? -1 : 0;
        }
        if (rc == 0) {
            rc = spawn_run(a.v, &so, &r, e);
        }
        if (filter > 0) {
            close(so.out_fd);
            spawn_filter_end(&filter);
        }
        if (rc == 0 && (r.code != 0 || r.stop_signal != 0)) {
            if (r.stop_signal != 0) {
                rc = err_set(e, "the build of %s was %s", b->name, spawn_stop_word(&r));
            } else {
                rc = err_set(e, "the build of %s failed; the messages above say why", b->name);
            }
            e->status = r.stop_signal != 0 ? spawn_signal_status(r.stop_signal) : 1;
        }
        if (rc == 0 && !b->other_board) {
            link_compile_commands(b);
        }
        *relinked = mtime_of(b->size_json, &after) &&
                    (!had || after.tv_sec != before.tv_sec || after.tv_nsec != before.tv_nsec);
        argv_free(&a);
    } else {
        rc = -1;
    }
    free(ninja);
    return rc;
}

char *build_slot_b_target(const struct build *b)
{
    return xasprintf("%s.%s", b->name, BUILD_SLOT_B);
}

char *build_process_image(const struct build *b, const char *proc, unsigned slot)
{
    return slot == 0 ? xasprintf("%s/%s.%s.img", b->dir, b->name, proc)
                     : xasprintf("%s/%s.%s.%s.img", b->dir, b->name, BUILD_SLOT_B, proc);
}

/* A little-endian word of a target's image header. */
static uint32_t image_word(const char *data, uint32_t at)
{
    const uint8_t *b = (const uint8_t *)data + at;
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

int build_image_load(const struct build *b, const char *proc, unsigned slot,
                     struct build_image *im, struct err *e)
{
    char *path = build_process_image(b, proc, slot);
    *im = (struct build_image){0};
    int rc = read_file(path, &im->data, &im->size, e);
    if (rc == 0 && (im->size < CMRX_IMAGE32_NAME + 16u ||
                    image_word(im->data, 0) != CMRX_IMAGE_MAGIC ||
                    image_word(im->data, CMRX_IMAGE32_SIZE) != im->size)) {
        rc = err_set(e, "%s is not a sealed process image", build_shown(b, path));
    }
    if (rc == 0) {
        im->version = image_word(im->data, CMRX_IMAGE32_VERSION);
    } else {
        free(im->data);
        im->data = NULL;
    }
    free(path);
    return rc;
}

int build_update_addresses(const struct build *b, const char *proc, uint32_t *slot_a,
                           uint32_t *slot_b, struct err *e)
{
    char *path = xasprintf("%s/%s.cmrx/update.cmake", b->dir, b->name);
    char *text = NULL;
    size_t len;
    int found = 0;
    if (read_file(path, &text, &len, e) == 0) {
        /* Lines "set(PROC_SLOT_A 0x...)" and "set(PROC_SLOT_B 0x...)". */
        size_t n = strlen(proc);
        char *save = NULL;
        for (char *line = strtok_r(text, "\n", &save); line != NULL;
             line = strtok_r(NULL, "\n", &save)) {
            unsigned v;
            char key[16];
            if (strncmp(line, "set(", 4) != 0 || strncmp(line + 4, proc, n) != 0 ||
                sscanf(line + 4 + n, "_%15[A-Z_] 0x%x)", key, &v) != 2) {
                continue;
            }
            if (strcmp(key, "SLOT_A") == 0) {
                *slot_a = v;
                found |= 1;
            } else if (strcmp(key, "SLOT_B") == 0) {
                *slot_b = v;
                found |= 2;
            }
        }
        if (found != 3) {
            err_set(e, "%s does not place process %s: it is not updatable in this build",
                    build_shown(b, path), proc);
        }
    }
    free(text);
    free(path);
    return found == 3 ? 0 : -1;
}

char *build_uart_port_file(const struct build *b, const char *uart)
{
    return xasprintf("%s/run/%s.port", b->dir, uart);
}

int build_uarts_open(struct build *b, struct err *e)
{
    b->uarts = xcalloc(b->bsp.n_peripherals + 1, sizeof(*b->uarts));
    for (size_t i = 0; i < b->bsp.n_peripherals; i++) {
        const struct bsp_peripheral *p = &b->bsp.peripherals[i];
        if (p->qemu_serial == BSP_NO_QEMU_SERIAL) {
            continue;
        }
        unsigned port = qemu_free_port(false);
        if (port == 0) {
            return err_set(e, "no free TCP port on 127.0.0.1 for the board's %s", p->name);
        }
        b->uarts[b->n_uarts++] = (struct qemu_uart){p->qemu_serial, port};
    }
    return 0;
}

/* The peripheral QEMU's serial port `serial` is. */
static const struct bsp_peripheral *uart_peripheral(const struct build *b, unsigned serial)
{
    for (size_t i = 0; i < b->bsp.n_peripherals; i++) {
        if (b->bsp.peripherals[i].qemu_serial == serial) {
            return &b->bsp.peripherals[i];
        }
    }
    return NULL;
}

int build_uarts_publish(const struct build *b, struct err *e)
{
    for (size_t k = 0; k < b->n_uarts; k++) {
        const struct bsp_peripheral *p = uart_peripheral(b, b->uarts[k].serial);
        char *file = build_uart_port_file(b, p->name);
        char *dir = path_join(b->dir, "run");
        char *text = xasprintf("%u\n", b->uarts[k].port);
        mkdir_p(dir);
        int rc = write_file_atomic(file, text, strlen(text), e);
        free(text);
        free(dir);
        free(file);
        if (rc != 0) {
            return -1;
        }
        ui_status("UART", "%s of the board on 127.0.0.1:%u (`cmrx deploy` finds it there)",
                  p->name, b->uarts[k].port);
    }
    return 0;
}

void build_uarts_close(struct build *b)
{
    for (size_t k = 0; k < b->n_uarts; k++) {
        char *file = build_uart_port_file(b, uart_peripheral(b, b->uarts[k].serial)->name);
        unlink(file);
        free(file);
    }
    free(b->uarts);
    b->uarts = NULL;
    b->n_uarts = 0;
}

char *build_image_path(const struct build *b, const char *image)
{
    if (b->bsp.qemu_storage_size == 0) {
        return NULL;
    }
    return image != NULL ? xstrdup(image) : xasprintf("%s/build/%s/storage.img", b->root, b->board);
}

int build_image_ready(const struct build *b, const char *image, struct err *e)
{
    char *img = build_image_path(b, image);
    int rc = 0;
    if (img != NULL) {
        char *dir = xstrdup(img);
        char *slash = strrchr(dir, '/');
        if (slash != NULL && slash != dir) {
            *slash = 0;
            mkdir_p(dir);
        }
        free(dir);
        rc = qemu_image_prepare(img, b->bsp.qemu_storage_size, e);
    }
    free(img);
    return rc;
}

int build_qemu(const struct build *b, const char *elf, unsigned gdb_port, const char *image,
               const struct build_net *net, struct argv *a, struct err *e)
{
    if (build_is_host(b)) { /* the host simulation: the firmware is the program */
        if (net != NULL || image != NULL) {
            err_set(e, "board host (the host simulation) has no %s",
                    net != NULL ? "network controller (--net)" : "storage (--image)");
            return err_hint(e, "run on an emulated board for that: --board qemu-mps2-an385");
        }
        argv_add(a, elf != NULL ? elf : b->elf, NULL);
        return 0;
    }
    if (b->bsp.qemu_machine == NULL) {
        err_set(e,
                "board %s is not emulated: its bsp.yaml (%s) has no 'qemu' machine, so there "
                "is nothing to run the firmware in",
                b->board, build_shown(b, b->bsp_path));
        return err_hint(e,
                        "program a real %s with `cmrx flash` (`cmrx debug` debugs it there), "
                        "or run the project on an emulated board with `cmrx run --board "
                        "BOARD` (`cmrx boards` shows which have a QEMU machine)",
                        b->board);
    }
    if (image != NULL && b->bsp.qemu_storage_size == 0) {
        err_set(e, "board %s has no storage for --image (its bsp.yaml has no qemu.storage)",
                b->board);
        return err_hint(e, "leave --image out, or run on a board with storage (docs/storage.md)");
    }
    char *img = build_image_path(b, image);
    struct qemu_opts o = {.machine = b->bsp.qemu_machine,
                          .serial = b->bsp.qemu_serial,
                          .elf = elf != NULL ? elf : b->elf,
                          .gdb_port = gdb_port,
                          .icount = b->trace && net == NULL,
                          .image = img,
                          .image_size = b->bsp.qemu_storage_size,
                          .uarts = b->uarts,
                          .n_uarts = b->n_uarts};
    char **fwd = NULL;
    size_t n = 0;
    int rc = 0;
    if (net != NULL) {
        const struct bsp_peripheral *periph;
        if ((o.nic = qemu_nic(&b->bsp, &periph)) == NULL) {
            free(img);
            err_set(e,
                    "board %s has no network controller QEMU models, so --net has nothing to "
                    "connect",
                    b->board);
            return err_hint(e, "its bsp.yaml names no peripheral with driver lan9118; the MPS2 "
                               "boards have one (`cmrx run --net --board qemu-mps2-an385`)");
        }
        /* A host port of 0 becomes a free one, said on stderr like every forward. */
        fwd = xcalloc(net->n + 1, sizeof(*fwd));
        for (; rc == 0 && n < net->n; n++) {
            bool udp;
            unsigned host, board;
            if (qemu_forward_parse(net->forwards[n], &udp, &host, &board) != 0) {
                rc = err_set(e, "'%s' is not a port forward (tcp:HOST:BOARD)", net->forwards[n]);
            } else if (host == 0 && (host = qemu_free_port(udp)) == 0) {
                rc = err_set(e, "no free %s port on 127.0.0.1 for %s", udp ? "UDP" : "TCP",
                             net->forwards[n]);
            } else {
                fwd[n] = xasprintf("%s:%u:%u", udp ? "udp" : "tcp", host, board);
                ui_status("Forwarding", "%s 127.0.0.1:%u to port %u of the board",
                          udp ? "udp" : "tcp", host, board);
            }
        }
        o.forwards = fwd;
        o.n_forwards = n;
        if (rc == 0) {
            ui_status("Network",
                      "%s (%s) on QEMU's user network: the board gets 10.0.2.15 by DHCP, the "
                      "host is 10.0.2.2",
                      periph->name, o.nic);
        }
    }
    if (rc == 0) {
        qemu_command(&o, a);
    }
    strv_free(fwd, n);
    free(img);
    return rc;
}

const char *build_shown(const struct build *b, const char *path)
{
    size_t n = strlen(b->root);
    return strncmp(path, b->root, n) == 0 && path[n] == '/' ? path + n + 1 : path;
}

static int build_need(const struct build *b, const char *path, struct err *e)
{
    if (path_exists(path)) {
        return 0;
    }
    err_set(e, "no build of %s for %s (%s) yet: %s does not exist", b->name, b->board, b->profile,
            path);
    return err_hint(e, "run `cmrx build%s%s%s` first",
                    strcmp(b->profile, "release") == 0 ? " --release" : "",
                    b->other_board ? " --board " : "", b->other_board ? b->board : "");
}

int build_need_tree(const struct project *p, const char *board, bool other_board,
                    const char *profile, struct err *e)
{
    struct build b = {.profile = profile,
                      .root = p->root,
                      .name = p->m.name,
                      .board = (char *)board,
                      .other_board = other_board};
    name_outputs(&b);
    int rc = build_need(&b, b.dir, e);
    free(b.dir);
    free(b.elf);
    free(b.hex);
    free(b.bin);
    free(b.size_json);
    return rc;
}

int build_report(const struct build *b, struct err *e)
{
    if (build_is_host(b)) {
        return 0; /* a Linux program: no board memory to account for */
    }
    if (build_need(b, b->size_json, e) != 0) {
        return -1;
    }
    char *tool = cache_value(b->dir, "CMRX_SDK_TOOL");
    char *layout = xasprintf("%s/%s.cmrx/layout.in", b->dir, b->name);
    int rc = 0;
    if (tool == NULL || !path_exists(tool)) {
        rc = err_set(e, "the build folder %s has no SDK helper to report with", b->dir);
        err_hint(e, "run `cmrx build` again");
    } else {
        char *argv[] = {tool, "report", layout, b->elf, NULL};
        struct spawn_result r;
        rc = spawn_run(argv, NULL, &r, e);
        if (rc == 0 && r.code != 0) {
            rc = err_set(e, "the SDK helper could not report on %s", b->elf);
        }
    }
    free(layout);
    free(tool);
    return rc;
}

int build_host_no_table(struct err *e)
{
    err_set(e, "board host has no memory table: the firmware is a Linux program there");
    return err_hint(e, "build for a board (--board) to see what each process takes");
}

cJSON *build_size_json(const struct build *b, struct err *e)
{
    char *text = NULL;
    size_t len;
    if (build_is_host(b)) {
        build_host_no_table(e);
        return NULL;
    }
    if (build_need(b, b->size_json, e) != 0 || read_file(b->size_json, &text, &len, e) != 0) {
        return NULL;
    }
    cJSON *size = cJSON_Parse(text);
    free(text);
    if (size == NULL) {
        err_set(e, "%s is not valid JSON", b->size_json);
        err_hint(e, "run `cmrx build` again");
    }
    return size;
}

void build_free(struct build *b)
{
    for (size_t i = 0; i < b->lock.n && b->pkg_dirs != NULL; i++) {
        free(b->pkg_dirs[i]);
    }
    free(b->pkg_dirs);
    lock_free(&b->lock);
    if (b->has_bsp) {
        bsp_free(&b->bsp);
    }
    free(b->root);
    free(b->name);
    free(b->board);
    free(b->board_dir);
    free(b->bsp_path);
    free(b->dir);
    free(b->elf);
    free(b->hex);
    free(b->bin);
    free(b->size_json);
    strv_free(b->tests, b->n_tests);
    strv_free(b->host_tests, b->n_host_tests);
    free(b->uarts);
    memset(b, 0, sizeof(*b));
}
