/* template.yaml and the placeholders cmrx new fills: parse the metadata,
 * then fill the same text with its first board's values. */
#include "fuzz.h"
#include "template.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct tmpl_meta m;
    struct err e = {0};
    int rc = tmpl_meta_parse("template.yaml", (const char *)data, size, &m, &e);
    FUZZ_FAILED_WELL(rc, e);
    char *text = fuzz_string(data, size);
    struct tmpl_var vars[2] = {{"name", "${name}x"}, {"board", ""}};
    const struct tmpl_var *v = vars;
    size_t n = 2;
    if (rc == 0 && m.n_boards > 0) {
        v = m.boards[0].vars;
        n = m.boards[0].n_vars;
    }
    char *filled = tmpl_fill(text, v, n);
    free(filled);
    free(text);
    if (rc == 0) {
        tmpl_meta_free(&m);
    }
    return 0;
}
