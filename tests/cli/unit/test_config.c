/* The user configuration: mirrors parsed, matched by longest prefix at a
 * boundary, rewritten, and broken files rejected with their line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

static struct config parse(const char *text)
{
    struct config c;
    struct err e = {0};
    memset(&c, 0, sizeof(c));
    int rc = config_parse(&c, "/home/u/.config/cmrx/config.yaml", text, strlen(text), &e);
    if (rc != 0) {
        fail_msg("parse failed: %s", e.msg);
    }
    return c;
}

static void fails(const char *text, const char *msg)
{
    struct config c;
    struct err e = {0};
    memset(&c, 0, sizeof(c));
    assert_int_equal(config_parse(&c, "/etc/cmrx.yaml", text, strlen(text), &e), -1);
    if (strstr(e.msg, msg) == NULL) {
        fail_msg("expected '%s' in '%s'", msg, e.msg);
    }
    assert_int_equal(c.n_mirrors, 0);
    config_free(&c);
}

static char *rewrite(const struct config *c, const char *url)
{
    const struct config_mirror *m = config_mirror_for(c, url);
    return m ? config_mirror_url(m, url) : NULL;
}

static void expect(const struct config *c, const char *url, const char *want)
{
    char *got = rewrite(c, url);
    if (want == NULL) {
        assert_null(got);
    } else {
        assert_non_null(got);
        assert_string_equal(got, want);
    }
    free(got);
}

static void empty_files_have_no_mirrors(void **state)
{
    (void)state;
    const char *texts[] = {"", "# nothing yet\n", "mirrors:\n", "mirrors: {}\n"};
    for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
        struct config c = parse(texts[i]);
        assert_int_equal(c.n_mirrors, 0);
        expect(&c, "https://github.com/a/b.git", NULL);
        config_free(&c);
    }
}

static void paths_and_urls(void **state)
{
    (void)state;
    setenv("HOME", "/home/u", 1);
    struct config c = parse("mirrors:\n"
                            "  https://a.example/x.git: /srv/m/x.git\n"
                            "  https://b.example/: ~/mirrors/\n"
                            "  https://c.example/: ../m\n"
                            "  https://d.example/: https://mirror.example/d\n"
                            "  git@e.example:: ssh://mirror.example/e/\n"
                            "  https://f.example/: /srv/./m/../n\n");
    assert_int_equal(c.n_mirrors, 6);
    assert_true(c.mirrors[0].local);
    assert_int_equal(c.mirrors[0].line, 2);
    assert_string_equal(c.mirrors[1].target, "/home/u/mirrors");
    /* Relative to the file's folder, not to the working directory. */
    assert_string_equal(c.mirrors[2].target, "/home/u/.config/m");
    assert_false(c.mirrors[3].local);
    assert_false(c.mirrors[4].local);
    assert_string_equal(c.mirrors[5].target, "/srv/n");
    expect(&c, "https://a.example/x.git", "/srv/m/x.git");
    expect(&c, "https://b.example/org/y.git", "/home/u/mirrors/org/y.git");
    expect(&c, "https://c.example/z.git", "/home/u/.config/m/z.git");
    expect(&c, "https://d.example/lib.git", "https://mirror.example/d/lib.git");
    expect(&c, "git@e.example:org/lib.git", "ssh://mirror.example/e/org/lib.git");
    config_free(&c);
}

static void longest_prefix_at_a_boundary_wins(void **state)
{
    (void)state;
    struct config c = parse("mirrors:\n"
                            "  https://h.example/: /all\n"
                            "  https://h.example/org: /org\n"
                            "  https://h.example/org/special.git: /special.git\n");
    expect(&c, "https://h.example/other/a.git", "/all/other/a.git");
    expect(&c, "https://h.example/org/a.git", "/org/a.git");
    expect(&c, "https://h.example/org", "/org");
    /* "org" is not a folder prefix of "organisation". */
    expect(&c, "https://h.example/organisation/a.git", "/all/organisation/a.git");
    expect(&c, "https://h.example/org/special.git", "/special.git");
    expect(&c, "https://h.example/org/special.git.old", "/org/special.git.old");
    expect(&c, "https://other.example/org/a.git", NULL);
    expect(&c, "http://h.example/org/a.git", NULL);
    config_free(&c);
}

static void broken_files_name_their_line(void **state)
{
    (void)state;
    fails("mirrors:\n  a: [b\n", "/etc/cmrx.yaml:3:1: invalid YAML");
    fails("mirror:\n  a: b\n", "/etc/cmrx.yaml:1: unknown key 'mirror'");
    fails("- a\n", "/etc/cmrx.yaml:1: the file must be a mapping");
    fails("mirrors: [a, b]\n", "/etc/cmrx.yaml:1: 'mirrors' must be a mapping");
    fails("mirrors:\n  a: /x\n  b:\n", "/etc/cmrx.yaml:3: 'mirrors.\"b\"' must be a non-empty");
    fails("mirrors:\n  a: {path: /x}\n", "/etc/cmrx.yaml:2: 'mirrors.\"a\"' must be a non-empty");
    fails("mirrors:\n  a: /x\n  b: /y\n  a: /z\n",
          "/etc/cmrx.yaml:4: 'mirrors': 'a' appears twice");
    fails("mirrors:\n  ~: /x\n", "/etc/cmrx.yaml:2: 'mirrors': a key must be an upstream URL");
    fails("mirrors:\n  '': /x\n", "/etc/cmrx.yaml:2: 'mirrors': a key must be an upstream URL");
    fails("mirrors:\n  [a]: /x\n", "/etc/cmrx.yaml:2: 'mirrors': a key must be an upstream URL");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(empty_files_have_no_mirrors),
        cmocka_unit_test(paths_and_urls),
        cmocka_unit_test(longest_prefix_at_a_boundary_wins),
        cmocka_unit_test(broken_files_name_their_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
