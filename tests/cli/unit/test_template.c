/* Templates: template.yaml (the boards a template is made for and their
 * placeholder values) and the filling of placeholders. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "template.h"
#include "text.h"

static const char good[] = "# the values of the driver template\n"
                           "boards:\n"
                           "  board-a: { timer: cmsdk, timer_irq: \"8\", base: 0x40000000 }\n"
                           "  board-b:\n"
                           "    timer: stm32\n"
                           "    timer_irq: 28\n"
                           "    base: ''\n";

static void parses_boards_and_values(void **state)
{
    (void)state;
    struct tmpl_meta m;
    struct err e = {0};
    if (tmpl_meta_parse("template.yaml", good, strlen(good), &m, &e) != 0) {
        fail_msg("%s", e.msg);
    }
    assert_int_equal(m.n_boards, 2);
    assert_null(tmpl_meta_board(&m, "board-c"));
    const struct tmpl_board *b = tmpl_meta_board(&m, "board-b");
    assert_non_null(b);
    assert_int_equal(b->n_vars, 3);
    assert_string_equal(b->vars[0].name, "timer");
    assert_string_equal(b->vars[0].value, "stm32");
    assert_string_equal(b->vars[1].value, "28");
    assert_string_equal(b->vars[2].value, ""); /* a quoted empty value is a value */
    /* Numbers are text: as written, not as YAML would read them. */
    assert_string_equal(tmpl_meta_board(&m, "board-a")->vars[2].value, "0x40000000");
    char *list = tmpl_meta_board_list(&m);
    assert_string_equal(list, "board-a, board-b");
    free(list);
    tmpl_meta_free(&m);
    /* Made for some boards, with no values for any: {} each. */
    static const char none[] = "boards:\n  board-a: {}\n  board-b: {}\n";
    if (tmpl_meta_parse("template.yaml", none, strlen(none), &m, &e) != 0) {
        fail_msg("%s", e.msg);
    }
    assert_int_equal(m.n_boards, 2);
    assert_int_equal(tmpl_meta_board(&m, "board-b")->n_vars, 0);
    tmpl_meta_free(&m);
}

static void reports_broken_files(void **state)
{
    (void)state;
    static const struct {
        const char *from, *to, *expect;
    } cases[] = {
        {"boards:", "board:", "template.yaml:2: unknown key 'board'"},
        {"boards:", "boards: 1\nx:", "template.yaml:2: 'boards' must map board names"},
        {"  board-a", "  Board/A", "template.yaml:3: 'boards': 'Board/A' is not a board name"},
        {"  board-b:", "  board-a:", "template.yaml:4: 'boards': 'board-a' appears twice"},
        {"timer: cmsdk", "time-r: cmsdk", "template.yaml:3: 'boards.board-a': 'time-r' cannot"},
        {"timer: cmsdk", "name: cmsdk", "${name} is filled by cmrx new"},
        {"timer: cmsdk", "board: cmsdk", "${board} is filled by cmrx new"},
        {"timer: cmsdk", "base: cmsdk", "template.yaml:3: 'boards.board-a': 'base' appears twice"},
        {"    timer_irq: 28", "    timer_irq: [28]",
         "template.yaml:6: 'boards.board-b.timer_irq' "
         "must be a string"},
        {"    timer_irq: 28", "    timer_irq:", "'boards.board-b.timer_irq' must be a string"},
        {"    timer_irq: 28\n", "",
         "template.yaml:4: 'boards.board-b' lacks 'timer_irq', which "
         "'boards.board-a' gives"},
        {"    base: ''", "    base: ''\n    extra: x",
         "template.yaml:4: 'boards.board-b' gives 'extra', which 'boards.board-a' does not"},
        {"  board-a: {", "  board-a: [", "template.yaml:3:"},
        {"  board-a: { timer: cmsdk, timer_irq: \"8\", base: 0x40000000 }", "  board-a: {}",
         "'boards.board-b' gives 'timer', which 'boards.board-a' does not"},
        {"  board-a: { timer: cmsdk, timer_irq: \"8\", base: 0x40000000 }", "  board-a: 3",
         "template.yaml:3: 'boards.board-a' must map placeholder names to values"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *text = text_replace(good, cases[i].from, cases[i].to);
        struct tmpl_meta m;
        struct err e = {0};
        if (tmpl_meta_parse("template.yaml", text, strlen(text), &m, &e) == 0) {
            fail_msg("case %zu should fail", i);
        }
        if (strstr(e.msg, cases[i].expect) == NULL) {
            fail_msg("case %zu: expected '%s' in '%s'", i, cases[i].expect, e.msg);
        }
        assert_true(e.hint[0] != '\0');
        free(text);
    }
    struct tmpl_meta m;
    struct err e = {0};
    assert_int_equal(tmpl_meta_parse("template.yaml", "", 0, &m, &e), -1);
    assert_non_null(strstr(e.msg, "the file must be a mapping"));
}

static void checks_placeholder_names(void **state)
{
    (void)state;
    assert_true(tmpl_var_name_valid("timer_base"));
    assert_true(tmpl_var_name_valid("X9"));
    assert_false(tmpl_var_name_valid(""));
    assert_false(tmpl_var_name_valid("timer-base"));
    assert_false(tmpl_var_name_valid("a b"));
    assert_false(tmpl_var_name_valid("a}"));
}

static void fills_only_known_placeholders(void **state)
{
    (void)state;
    struct tmpl_var vars[] = {{"name", "demo"}, {"board", "b"}, {"irq", "${name}"}};
    char *out = tmpl_fill(
        "${name} on ${board}: irq ${irq}; ${HOME} ${nam} ${name ${} $ $$ ${board}", vars, 3);
    /* Values are not filled again: ${irq} gives "${name}" as it is. */
    assert_string_equal(out, "demo on b: irq ${name}; ${HOME} ${nam} ${name ${} $ $$ b");
    free(out);
    assert_null(tmpl_fill("set(X ${CMAKE_C_FLAGS})\n", vars, 3));
    assert_null(tmpl_fill("", vars, 3));
    out = tmpl_fill("${board}", vars, 3);
    assert_string_equal(out, "b");
    free(out);
    out = tmpl_fill("x${name}", vars, 1);
    assert_string_equal(out, "xdemo");
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parses_boards_and_values),
        cmocka_unit_test(reports_broken_files),
        cmocka_unit_test(checks_placeholder_names),
        cmocka_unit_test(fills_only_known_placeholders),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
