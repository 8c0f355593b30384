/* index.json validation: a valid index loads; each kind of damage is
 * reported with the file, the key path and the package. */
/* MAP_ANONYMOUS */
#define _DEFAULT_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fsutil.h"
#include "registry.h"
#include "text.h"

static const char good[] =
    "{\n"
    "  \"schema\": 1,\n"
    "  \"packages\": [\n"
    "    {\"name\": \"kernel\", \"kind\": \"kernel\", \"description\": \"k\",\n"
    "     \"versions\": [{\"version\": \"0.1.0\", \"git\": \".\", \"branch\": \"HEAD\", "
    "\"subdir\": \"kernel\"}]},\n"
    "    {\"name\": \"board-a\", \"kind\": \"bsp\", \"description\": \"b\",\n"
    "     \"versions\": [{\"version\": \"0.1.0\", \"git\": \".\", \"branch\": \"HEAD\", "
    "\"cpu\": \"cortex-m3\", \"qemu\": \"mps2-an385\"}]},\n"
    "    {\"name\": \"comp\", \"kind\": \"component\", \"description\": \"c\",\n"
    "     \"versions\": [\n"
    "       {\"version\": \"1.0.0\", \"git\": \"https://example.com/comp.git\"},\n"
    "       {\"version\": \"2.0.0\", \"git\": \"https://example.com/comp.git\", \"tag\": "
    "\"v2.0.0\",\n"
    "        \"requires\": {\"kernel\": \"^0.1\", \"cpus\": [\"cortex-m4\"], \"dependencies\": "
    "{\"lib\": \"^1\"}}},\n"
    "       {\"version\": \"1.5.0\", \"git\": \"/srv/git/comp.git\", \"commit\": "
    "\"0123456789abcdef0123456789abcdef01234567\",\n"
    "        \"checksum\": \"89abcdef0123456789abcdef0123456789abcdef\"}]},\n"
    "    {\"name\": \"lib\", \"kind\": \"component\", \"description\": \"l\",\n"
    "     \"versions\": [{\"version\": \"1.0.0\", \"git\": \"git@example.com:lib.git\"}]}\n"
    "  ]\n"
    "}\n";

static void loads_a_valid_index(void **state)
{
    (void)state;
    struct registry r = {0};
    struct err e = {0};
    if (registry_parse("index.json", good, strlen(good), &r, &e) != 0) {
        fail_msg("%s", e.msg);
    }
    assert_int_equal(r.n_pkgs, 4);
    const struct reg_package *c = registry_find(&r, "comp");
    assert_non_null(c);
    assert_int_equal(c->kind, KIND_COMPONENT);
    /* Newest first, whatever the order in the file. */
    assert_string_equal(c->versions[0].version, "2.0.0");
    assert_string_equal(c->versions[1].version, "1.5.0");
    assert_string_equal(c->versions[2].version, "1.0.0");
    /* The tag defaults to the version; a pinned commit has no tag. */
    assert_string_equal(c->versions[2].tag, "1.0.0");
    assert_string_equal(c->versions[0].tag, "v2.0.0");
    assert_null(c->versions[1].tag);
    assert_true(c->versions[0].has_kernel);
    assert_int_equal(c->versions[0].n_cpus, 1);
    assert_string_equal(c->versions[0].deps[0].name, "lib");
    assert_string_equal(registry_find(&r, "board-a")->versions[0].cpu, "cortex-m3");
    registry_free(&r);
}

static void reports_invalid_indexes(void **state)
{
    (void)state;
    static const struct {
        const char *from, *to, *expect;
    } cases[] = {
        {"\"schema\": 1,", "\"schema\": 1", "index.json:3:3: invalid JSON near '\"packages\": ['"},
        {"  ]\n}", "  ],\n}", "invalid JSON"},
        {"\"schema\": 1", "\"schema\": 2", "index.json:2: 'schema' must be 1"},
        {"\"schema\": 1,", "\"schema\": 1, \"extra\": true,", "unknown key 'extra'"},
        {"\"name\": \"comp\"", "\"name\": \"../comp\"",
         "packages[2] (../comp): 'name' '../comp' is not a valid package name"},
        {"\"name\": \"comp\"", "\"name\": \"/abs\"", "'name' '/abs' is not a valid"},
        {"\"kind\": \"component\", \"description\": \"c\"",
         "\"kind\": \"plugin\", \"description\": \"c\"",
         "'packages[2] (comp).kind' must be kernel, bsp"},
        {"\"subdir\": \"kernel\"", "\"subdir\": \"../../etc\"",
         "packages[0] (kernel).versions[0]: 'subdir' is '../../etc'"},
        {"\"subdir\": \"kernel\"", "\"subdir\": \"/etc\"", "'subdir' is '/etc'"},
        {"\"git\": \"/srv/git/comp.git\"", "\"git\": \"comp.git\"",
         "packages[2] (comp).versions[2]: 'git' is 'comp.git'"},
        {"{\"version\": \"1.0.0\", \"git\": \"https", "{\"version\": \"1.0\", \"git\": \"https",
         "packages[2] (comp).versions[0]: 'version':"},
        {"\"version\": \"1.5.0\"", "\"version\": \"1.0.0\"", "version 1.0.0 is listed twice"},
        {"\"commit\": \"0123456789abcdef0123456789abcdef01234567\"", "\"commit\": \"0123\"",
         "'commit' must be a full 40-digit"},
        {"\"checksum\": \"89abcdef0123456789abcdef0123456789abcdef\"", "\"checksum\": \"xyz\"",
         "'checksum' must be a 40-digit"},
        {"\"tag\": \"v2.0.0\"", "\"tag\": \"v2..0\"", "'tag' 'v2..0' is not a valid git tag"},
        {"\"tag\": \"v2.0.0\"", "\"tag\": \"v2\", \"branch\": \"main\"", "not both"},
        {"\"cpus\": [\"cortex-m4\"]", "\"cpus\": [\"cortex-a53\"]",
         "'packages[2] (comp).versions[1].requires.cpus': 'cortex-a53' is not a CPU"},
        {"\"kernel\": \"^0.1\"", "\"kernel\": \"^zero\"",
         "requires.kernel': invalid version constraint '^zero'"},
        {"{\"lib\": \"^1\"}", "{\"nope\": \"^1\"}",
         "package 'comp' version 2.0.0 depends on 'nope', which no registry lists"},
        {"{\"lib\": \"^1\"}", "{\"board-a\": \"^0.1\"}",
         "depends on 'board-a', which is not a component or a library"},
        {"{\"lib\": \"^1\"}", "{\"comp\": \"^1\"}", "depends on itself"},
        {"{\"lib\": \"^1\"}", "{\"lib\": 1}",
         "requires.dependencies.lib' must be a non-empty string"},
        {"\"cpu\": \"cortex-m3\", ", "", "packages[1] (board-a).versions[0]: missing key 'cpu'"},
        {"\"name\": \"lib\"", "\"name\": \"comp\"", "package 'comp' is listed twice"},
        {"\"name\": \"kernel\"", "\"name\": \"core\"", "the package named 'kernel' is the one"},
        {"\"branch\": \"HEAD\", \"subdir\": \"kernel\"",
         "\"branch\": \"HEAD\", \"subdir\": \"kernel\", \"cpu\": \"cortex-m3\"",
         "only for packages of kind bsp"},
        {"\"versions\": [{\"version\": \"0.1.0\", \"git\": \".\", \"branch\": \"HEAD\", \"subdir\"",
         "\"x\": 1, \"versions\": [{\"version\": \"0.1.0\", \"git\": \".\", \"branch\": "
         "\"HEAD\", \"subdir\"",
         "unknown key 'packages[0] (kernel).x'"},
        {"\"versions\": [{\"version\": \"0.1.0\", \"git\": \".\", \"branch\": \"HEAD\", \"subdir\"",
         "\"versions\": [], \"x\": [{\"version\": \"0.1.0\", \"git\": \".\", \"branch\": "
         "\"HEAD\", \"subdir\"",
         "'packages[0] (kernel).versions' must be a non-empty list"},
        /* JSON's types are kept: a number is not a string. */
        {"\"description\": \"k\"", "\"description\": 5",
         "'packages[0] (kernel).description' must be a non-empty string"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *text = text_replace(good, cases[i].from, cases[i].to);
        struct registry r = {0};
        struct err e = {0};
        /* A dependency no index of the stack lists is found when the stack is checked. */
        if (registry_parse("index.json", text, strlen(text), &r, &e) == 0) {
            if (registry_check_links(&r, &e) == 0) {
                fail_msg("case %zu should fail", i);
            }
            registry_free(&r);
        }
        if (strstr(e.msg, cases[i].expect) == NULL) {
            fail_msg("case %zu: expected '%s' in '%s'", i, cases[i].expect, e.msg);
        }
        assert_true(e.hint[0] != '\0');
        free(text);
    }
}

/* Two registries stacked: the first lists a name, the second's entry of that
 * name is recorded as shadowed and not used; its other packages join, and
 * every version still points to its package and its own registry. */
static void stacks_registries_first_wins(void **state)
{
    (void)state;
    static const char second[] =
        "{\"schema\": 1, \"repository\": \"https://example.com/third.git\", \"packages\": [\n"
        " {\"name\": \"comp\", \"kind\": \"component\", \"description\": \"impostor\",\n"
        "  \"versions\": [{\"version\": \"9.0.0\", \"git\": \".\", \"subdir\": \"c\"}]},\n"
        " {\"name\": \"sensor\", \"kind\": \"component\", \"description\": \"s\",\n"
        "  \"versions\": [{\"version\": \"1.0.0\", \"git\": \".\", \"subdir\": \"s\",\n"
        "   \"requires\": {\"dependencies\": {\"lib\": \"^1\"}}}]}]}\n";
    struct registry a = {0}, b = {0};
    struct err e = {0};
    assert_int_equal(registry_parse("a.json", good, strlen(good), &a, &e), 0);
    assert_int_equal(registry_parse("b.json", second, strlen(second), &b, &e), 0);
    /* sensor depends on lib, which only the first registry lists. */
    assert_int_equal(registry_check_links(&b, &e), -1);
    assert_non_null(strstr(e.msg, "which no registry lists"));
    registry_stack(&a, &b);
    assert_int_equal(registry_check_links(&a, &e), 0);
    assert_int_equal(a.n_pkgs, 5);
    assert_int_equal(a.n_srcs, 2);
    const struct reg_package *c = registry_find(&a, "comp");
    assert_string_equal(c->description, "c");
    assert_string_equal(c->src->index_name, "a.json");
    const struct reg_shadow *sh = registry_shadow(&a, "comp");
    assert_non_null(sh);
    assert_string_equal(sh->kept->index_name, "a.json");
    assert_string_equal(sh->ignored->index_name, "b.json");
    assert_null(registry_shadow(&a, "lib"));
    const struct reg_package *s = registry_find(&a, "sensor");
    assert_ptr_equal(s->versions[0].pkg, s);
    assert_ptr_equal(registry_find(&a, "kernel")->versions[0].pkg, registry_find(&a, "kernel"));
    /* A lock names the second registry's canonical repository, not "." */
    char *url = registry_lock_url(&s->versions[0], &e);
    assert_string_equal(url, "https://example.com/third.git");
    free(url);

    /* A git dependency takes the place of a registry's package of its name,
     * once: adding the same source again changes nothing. */
    const struct reg_version *g =
        registry_add_git(&a, "cmrx.yaml", "lib", "/srv/lib.git", "v1.4.0", NULL, NULL, NULL);
    assert_string_equal(g->version, "1.4.0");
    assert_string_equal(g->tag, "v1.4.0");
    assert_ptr_equal(registry_find(&a, "lib"), g->pkg);
    assert_string_equal(registry_shadow(&a, "lib")->ignored->index_name, "a.json");
    size_t srcs = a.n_srcs;
    assert_ptr_equal(
        registry_add_git(&a, "cmrx.yaml", "lib", "/srv/lib.git", "v1.4.0", NULL, NULL, NULL), g);
    assert_int_equal(a.n_srcs, srcs);
    /* No tag: the repository's HEAD, version 0.0.0. */
    g = registry_add_git(&a, "cmrx.yaml", "raw", "/srv/raw.git", NULL, NULL, NULL, NULL);
    assert_string_equal(g->version, "0.0.0");
    assert_string_equal(g->branch, "HEAD");
    registry_free(&a);
}

static void accepts_git_locations(void **state)
{
    (void)state;
    assert_true(git_location_valid("."));
    assert_true(git_location_valid("/srv/git/x.git"));
    assert_true(git_location_valid("file:///srv/git/x.git"));
    assert_true(git_location_valid("https://example.com/x.git"));
    assert_true(git_location_valid("git@example.com:x.git"));
    assert_false(git_location_valid("x.git"));
    assert_false(git_location_valid("../x.git"));
    assert_false(git_location_valid("https://"));
    /* One rule for registries, package sources and mirrors. */
    assert_true(path_is_url("example.com:x.git"));
    assert_false(path_is_url("./a:b"));
    assert_false(path_is_url("C:x"));
    assert_false(path_is_url("host:"));
}

/* An index that is not NUL-terminated, ending where memory ends: the
 * message quoting the text near an error must not read past it. */
static void reads_no_byte_past_the_index(void **state)
{
    (void)state;
    long page = sysconf(_SC_PAGESIZE);
    char *mem =
        mmap(NULL, (size_t)page * 2, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    assert_true(mem != MAP_FAILED);
    assert_int_equal(mprotect(mem + page, (size_t)page, PROT_NONE), 0);
    static const char *const texts[] = {"{\"schema\": 1, \"packages\": [tru", "{\"schema\": 1,",
                                        "{\"schema\": 1}x", "{"};
    for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
        size_t len = strlen(texts[i]);
        char *json = mem + page - len; /* the last byte of the text is the last readable one */
        memcpy(json, texts[i], len);
        struct registry r = {0};
        struct err e = {0};
        assert_int_equal(registry_parse("index.json", json, len, &r, &e), -1);
        assert_non_null(strstr(e.msg, "index.json:1:"));
    }
    munmap(mem, (size_t)page * 2);
}

int main(void)
{
    git_libgit2_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(loads_a_valid_index),          cmocka_unit_test(reports_invalid_indexes),
        cmocka_unit_test(reads_no_byte_past_the_index), cmocka_unit_test(accepts_git_locations),
        cmocka_unit_test(stacks_registries_first_wins),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
