/* What makes a template a project: its placeholders and its metadata.
 *
 * `cmrx new` fills ${name} and ${board} into every file of a template, and
 * the per-board values of the template's template.yaml (kept at the
 * template's root, never copied into the project). template.yaml also says
 * which boards the template is made for: with one, other boards are
 * refused. Format in docs/registry.md. */
#ifndef CMRX_CLI_TEMPLATE_H
#define CMRX_CLI_TEMPLATE_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

/** The template's metadata file, at its root. */
#define TEMPLATE_META "template.yaml"

/** A placeholder ${name} and its value. */
struct tmpl_var {
    char *name;
    char *value;
};

/** The placeholder values template.yaml gives one board. */
struct tmpl_board {
    char *board;
    struct tmpl_var *vars;
    size_t n_vars;
};

/** A parsed template.yaml: the boards the template is made for. */
struct tmpl_meta {
    struct tmpl_board *boards; /**< in the file's order; at least one */
    size_t n_boards;
};

/** Whether @p s can name a placeholder: letters, digits and '_', at least one. */
bool tmpl_var_name_valid(const char *s);

/**
 * Parse template.yaml (@p path names it in messages). Errors name the line:
 * unknown keys, board names that are not package names, placeholder names
 * that are not letters, digits and '_', ${name} and ${board} (cmrx fills
 * those), values that are not strings, and boards that do not all give the
 * same placeholders.
 * @return 0, or -1 with a message.
 */
int tmpl_meta_parse(const char *path, const char *text, size_t len, struct tmpl_meta *m,
                    struct err *e);

/** Free what @p b holds. */
void tmpl_board_free(struct tmpl_board *b);

/** Free a parsed template.yaml. */
void tmpl_meta_free(struct tmpl_meta *m);

/** @return the values for @p board, or NULL if the template is not made for it. */
const struct tmpl_board *tmpl_meta_board(const struct tmpl_meta *m, const char *board);

/** @return the boards, "a, b, c", as a new string. */
char *tmpl_meta_board_list(const struct tmpl_meta *m);

struct bsp;
struct reg_version;

/**
 * The rule of the boards a template supports, for `cmrx new` (which refuses
 * the others) and `cmrx templates` (which lists the rest): those its
 * template.yaml @p m lists (any without one), if their bsp.yaml @p b has the
 * peripherals template version @p v requires. @p b NULL: the board's
 * bsp.yaml is not read yet, only template.yaml is checked.
 * @return true, or false saying why in @p why ("is not made for board X;
 * it supports ...", "needs peripheral ...").
 */
bool tmpl_supports(const struct tmpl_meta *m, const struct reg_version *v, const char *board,
                   const struct bsp *b, char *why, size_t n);

/**
 * Fill @p text: every ${NAME} whose NAME is one of @p vars becomes its
 * value; anything else (${OTHER}, a shell's or CMake's ${VAR}, a lone $) is
 * left as it is. Values are not scanned again.
 * @return a new string, or NULL when nothing was replaced.
 */
char *tmpl_fill(const char *text, const struct tmpl_var *vars, size_t n);

#endif
