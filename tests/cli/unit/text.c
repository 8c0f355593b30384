#include "text.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *text_replace(const char *s, const char *from, const char *to)
{
    const char *at = strstr(s, from);
    if (at == NULL) {
        fail_msg("'%s' does not occur in the text", from);
    }
    char *out = malloc(strlen(s) + strlen(to) + 1);
    assert_non_null(out);
    sprintf(out, "%.*s%s%s", (int)(at - s), s, to, at + strlen(from));
    return out;
}

struct manifest parse_ok(const char *text)
{
    struct manifest m;
    struct err e = {0};
    if (manifest_parse("cmrx.yaml", text, strlen(text), &m, &e) != 0) {
        fail_msg("should parse: %s", e.msg);
    }
    return m;
}
