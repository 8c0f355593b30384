/* Version resolution over an in-memory registry. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "resolve.h"

#define V(ver, extra) "{\"version\": \"" ver "\", \"git\": \"/g\"" extra "}"

static const char index_json[] =
    "{\"schema\": 1, \"packages\": [\n"
    "{\"name\": \"kernel\", \"kind\": \"kernel\", \"description\": \"k\", "
    "\"versions\": [" V("0.1.0", "") "," V(
        "0.1.5",
        "") "]},\n"
            "{\"name\": \"m3board\", \"kind\": \"bsp\", "
            "\"description\": \"b\", \"versions\": [" V(
                "1.0.0",
                ", \"cpu\": \"cortex-m3\"") "]}"
                                            ","
                                            "\n"
                                            "{"
                                            "\""
                                            "na"
                                            "me"
                                            "\""
                                            ": "
                                            "\""
                                            "m4"
                                            "bo"
                                            "ar"
                                            "d"
                                            "\""
                                            ", "
                                            "\""
                                            "ki"
                                            "nd"
                                            "\""
                                            ": "
                                            "\""
                                            "bs"
                                            "p"
                                            "\""
                                            ", "
                                            "\""
                                            "de"
                                            "sc"
                                            "ri"
                                            "pt"
                                            "io"
                                            "n"
                                            "\""
                                            ": "
                                            "\""
                                            "b"
                                            "\""
                                            ", "
                                            "\""
                                            "ve"
                                            "rs"
                                            "io"
                                            "ns"
                                            "\""
                                            ": "
                                            "[" V("1.0.0",
                                                  ", \"cpu\": \"cortex-m4\"") "]},\n"
                                                                              "{\"name\": "
                                                                              "\"comp\", "
                                                                              "\"kind\": "
                                                                              "\"component\", "
                                                                              "\"description\": "
                                                                              "\"c\", "
                                                                              "\"versions\": "
                                                                              "[" V("1.0.0", "") "," V("1.1.0", ", \"requires\": {\"dependencies\": {\"lib\": \"^1\"}}") "," V(
                                                                                  "2.0.0",
                                                                                  ", \"requires\": "
                                                                                  "{\"kernel\": "
                                                                                  "\"^0.2\"}") "]},"
                                                                                               "\n"
                                                                                               "{\""
                                                                                               "na"
                                                                                               "me"
                                                                                               "\":"
                                                                                               " \""
                                                                                               "li"
                                                                                               "b\""
                                                                                               ", "
                                                                                               "\"k"
                                                                                               "in"
                                                                                               "d\""
                                                                                               ": "
                                                                                               "\"c"
                                                                                               "om"
                                                                                               "pon"
                                                                                               "en"
                                                                                               "t\""
                                                                                               ", "
                                                                                               "\"d"
                                                                                               "es"
                                                                                               "cri"
                                                                                               "pt"
                                                                                               "ion"
                                                                                               "\""
                                                                                               ": "
                                                                                               "\"l"
                                                                                               "\""
                                                                                               ", "
                                                                                               "\"v"
                                                                                               "er"
                                                                                               "sio"
                                                                                               "ns"
                                                                                               "\":"
                                                                                               " "
                                                                                               "[" V("1.0.0", "") "," V(
                                                                                                   "1"
                                                                                                   "."
                                                                                                   "4"
                                                                                                   "."
                                                                                                   "0",
                                                                                                   "") "," V("2.0.0",
                                                                                                             "") "]},\n"
                                                                                                                 "{\"name\": \"a\", \"kind\": \"component\", \"description\": \"a\", \"versions\": [" V(
                                                                                                                     "1.0.0",
                                                                                                                     ", \"requires\": {\"dependencies\": {\"lib\": \"^1\"}}") "," V("2.0.0",
                                                                                                                                                                                    ", \"requires\": {\"dependencies\": {\"lib\": \"^2\"}}") "]},\n"
                                                                                                                                                                                                                                             "{\"name\": \"b\", \"kind\": \"component\", \"description\": \"b\", \"versions\": [" V("1.0.0", ", \"requires\": {\"dependencies\": {\"lib\": \"~1.4\"}}") "]},\n"
                                                                                                                                                                                                                                                                                                                                                                                                        "{\"name\": \"c\", \"kind\": \"component\", \"description\": \"c\", \"versions\": [" V("1.0.0",
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                               ", \"requires\": {\"dependencies\": {\"lib\": \"^2\"}}") "]},\n"
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                        "{\"name\": \"m4only\", \"kind\": \"component\", \"description\": \"x\", \"versions\": [" V(
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                            "1.0.0", ", \"requires\": {\"cpus\": [\"cortex-m4\", \"cortex-m7\"]}") "]},\n"
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                   "{\"name\": \"fpu\", \"kind\": \"component\", \"description\": \"x\", \"versions\": [" V(
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                       "1.0.0", "") "," V("2.0.0", ", \"requires\": {\"cpus\": [\"cortex-m4\"]}") "]},\n"
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                  "{\"name\": \"tpl\", \"kind\": \"template\", \"description\": \"t\", \"versions\": [" V(
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                      "1.0.0", "") "]}\n"
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                   "]}";

static struct registry reg;

static int setup(void **state)
{
    (void)state;
    struct err e = {0};
    if (registry_parse("index.json", index_json, strlen(index_json), &reg, &e) != 0) {
        fprintf(stderr, "%s\n", e.msg);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    registry_free(&reg);
    return 0;
}

struct run {
    const char *board;
    const char *kernel;
    const char *deps[4][2]; /* name, constraint */
    const struct lock *prefer;
    const char *unlock;
    bool unlock_all;
};

/* Resolve; return 0 and the chosen "name version" list, or -1 and the message. */
static int go(const struct run *r, char *out, size_t len)
{
    struct resolve_req roots[5] = {{"kernel", r->kernel, "cmrx.yaml:5"}};
    size_t n = 1;
    for (size_t i = 0; i < 4 && r->deps[i][0] != NULL; i++) {
        roots[n++] = (struct resolve_req){r->deps[i][0], r->deps[i][1], "cmrx.yaml:7"};
    }
    const char *unlock[1] = {r->unlock};
    struct resolve_opts o = {.reg = &reg,
                             .board = r->board ? r->board : "m3board",
                             .board_origin = "cmrx.yaml:3",
                             .roots = roots,
                             .n_roots = n,
                             .prefer = r->prefer,
                             .unlock = unlock,
                             .n_unlock = r->unlock ? 1 : 0,
                             .unlock_all = r->unlock_all};
    struct resolution res;
    struct err e = {0};
    out[0] = '\0';
    if (resolve(&o, &res, &e) != 0) {
        snprintf(out, len, "%s | %s", e.msg, e.hint);
        return -1;
    }
    for (size_t i = 0; i < res.n; i++) {
        snprintf(out + strlen(out), len - strlen(out), "%s%s %s", i ? ", " : "",
                 res.chosen[i]->pkg->name, res.chosen[i]->version);
    }
    resolution_free(&res);
    return 0;
}

static void expect(const struct run *r, const char *want)
{
    char got[2048];
    if (go(r, got, sizeof(got)) != 0 || strcmp(got, want) != 0) {
        fail_msg("expected '%s', got '%s'", want, got);
    }
}

static void expect_error(const struct run *r, const char *part1, const char *part2)
{
    char got[2048];
    if (go(r, got, sizeof(got)) == 0) {
        fail_msg("expected an error, got '%s'", got);
    }
    if (strstr(got, part1) == NULL || (part2 != NULL && strstr(got, part2) == NULL)) {
        fail_msg("expected '%s' and '%s' in '%s'", part1, part2 ? part2 : "", got);
    }
}

static void newest_matching_versions(void **state)
{
    (void)state;
    /* ^1 stops below 2.0.0; comp 1.1.0 brings lib, at its newest 1.x. */
    struct run r = {.deps = {{"comp", "^1"}}};
    expect(&r, "comp 1.1.0, kernel 0.1.5, lib 1.4.0, m3board 1.0.0");
    struct run exact = {.kernel = "=0.1.0", .deps = {{"comp", "1.0.0"}}};
    expect(&exact, "comp 1.0.0, kernel 0.1.0, m3board 1.0.0");
}

static void kernel_requirements_count(void **state)
{
    (void)state;
    /* comp 2.0.0 needs kernel ^0.2, which does not exist: 1.1.0 is chosen. */
    struct run any = {.deps = {{"comp", "*"}}};
    expect(&any, "comp 1.1.0, kernel 0.1.5, lib 1.4.0, m3board 1.0.0");
    struct run two = {.deps = {{"comp", "^2"}}};
    expect_error(&two, "no version of 'kernel' matches ^0.2 (required by comp 2.0.0)",
                 "available: 0.1.5, 0.1.0");
}

static void locked_versions_are_kept(void **state)
{
    (void)state;
    struct lock_pkg pk[2] = {{.name = "comp", .version = "1.0.0"},
                             {.name = "kernel", .version = "0.1.0"}};
    struct lock l = {.pkgs = pk, .n = 2};
    struct run keep = {.deps = {{"comp", "^1"}}, .prefer = &l};
    expect(&keep, "comp 1.0.0, kernel 0.1.0, m3board 1.0.0");
    struct run one = {.deps = {{"comp", "^1"}}, .prefer = &l, .unlock = "comp"};
    expect(&one, "comp 1.1.0, kernel 0.1.0, lib 1.4.0, m3board 1.0.0");
    struct run all = {.deps = {{"comp", "^1"}}, .prefer = &l, .unlock_all = true};
    expect(&all, "comp 1.1.0, kernel 0.1.5, lib 1.4.0, m3board 1.0.0");
    /* A locked version the constraint no longer allows gives way. */
    struct run moved = {.deps = {{"comp", ">=1.1"}}, .prefer = &l};
    expect(&moved, "comp 1.1.0, kernel 0.1.0, lib 1.4.0, m3board 1.0.0");
}

static void backtracks_to_an_older_version(void **state)
{
    (void)state;
    /* a 2.0.0 wants lib ^2 but b wants ~1.4: a falls back to 1.0.0. */
    struct run r = {.deps = {{"a", "*"}, {"b", "*"}}};
    expect(&r, "a 1.0.0, b 1.0.0, kernel 0.1.5, lib 1.4.0, m3board 1.0.0");
}

static void names_conflicting_packages(void **state)
{
    (void)state;
    struct run r = {.deps = {{"b", "*"}, {"c", "*"}}};
    expect_error(&r,
                 "conflicting requirements on 'lib': ~1.4 (required by b 1.0.0), ^2 (required "
                 "by c 1.0.0)",
                 "available: 2.0.0, 1.4.0, 1.0.0");
}

static void no_version_matches(void **state)
{
    (void)state;
    struct run r = {.deps = {{"comp", "^3"}}};
    expect_error(&r,
                 "no version of 'comp' matches ^3 (required by cmrx.yaml:7); available: 2.0.0, "
                 "1.1.0, 1.0.0",
                 "cmrx info comp");
}

static void respects_the_board_cpu(void **state)
{
    (void)state;
    struct run bad = {.deps = {{"m4only", "*"}}};
    expect_error(&bad, "'m4only' does not support cortex-m3, the CPU of board 'm3board'",
                 "1.0.0 supports cortex-m4, cortex-m7");
    struct run good = {.board = "m4board", .deps = {{"m4only", "*"}}};
    expect(&good, "kernel 0.1.5, m4board 1.0.0, m4only 1.0.0");
    /* fpu 2.0.0 is M4-only: on the M3 board the older, portable 1.0.0 is chosen. */
    struct run older = {.deps = {{"fpu", "*"}}};
    expect(&older, "fpu 1.0.0, kernel 0.1.5, m3board 1.0.0");
}

static void unknown_names_and_kinds(void **state)
{
    (void)state;
    struct run unknown = {.deps = {{"compp", "*"}}};
    expect_error(&unknown, "unknown package 'compp' (required by cmrx.yaml:7)",
                 "similar names: comp");
    struct run noboard = {.board = "m9board"};
    /* A board's message, as `cmrx build` gives it: the boards to choose from. */
    expect_error(&noboard, "cmrx.yaml:3: unknown board 'm9board'", "boards in ");
    struct run notboard = {.board = "comp"};
    expect_error(&notboard, "cmrx.yaml:3: unknown board 'comp': it is a component", "boards in ");
}

int main(void)
{
    git_libgit2_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(newest_matching_versions),
        cmocka_unit_test(kernel_requirements_count),
        cmocka_unit_test(locked_versions_are_kept),
        cmocka_unit_test(backtracks_to_an_older_version),
        cmocka_unit_test(names_conflicting_packages),
        cmocka_unit_test(no_version_matches),
        cmocka_unit_test(respects_the_board_cpu),
        cmocka_unit_test(unknown_names_and_kinds),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
