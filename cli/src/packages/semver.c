#include "semver.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Identifiers of pre-release and build parts: [0-9A-Za-z-], dot separated,
 * none empty; numeric pre-release identifiers without leading zeros. */
static int parse_idents(const char *s, size_t n, bool numeric_rule, char *out, size_t outlen,
                        struct err *e)
{
    if (n == 0 || n >= outlen) {
        return err_set(e, n == 0 ? "empty pre-release or build part" : "part too long");
    }
    size_t start = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i == n || s[i] == '.') {
            size_t len = i - start;
            if (len == 0) {
                return err_set(e, "empty identifier in '%.*s'", (int)n, s);
            }
            bool digits = true;
            for (size_t j = start; j < i; j++) {
                digits = digits && isdigit((unsigned char)s[j]);
            }
            if (numeric_rule && digits && len > 1 && s[start] == '0') {
                return err_set(e, "leading zero in '%.*s'", (int)len, s + start);
            }
            start = i + 1;
        } else if (!isalnum((unsigned char)s[i]) && s[i] != '-') {
            return err_set(e, "character '%c' not allowed (use 0-9, A-Z, a-z, -)", s[i]);
        }
    }
    memcpy(out, s, n);
    out[n] = '\0';
    return 0;
}

/* One numeric part; *wild is set for x, X or *. Returns chars consumed or -1. */
static int parse_num(const char *s, uint32_t *out, bool *wild, struct err *e)
{
    if (wild != NULL && (*s == 'x' || *s == 'X' || *s == '*')) {
        *wild = true;
        *out = 0;
        return 1;
    }
    if (!isdigit((unsigned char)*s)) {
        return err_set(e, "expected a number at '%s'", s);
    }
    int i = 0;
    uint64_t v = 0;
    while (isdigit((unsigned char)s[i])) {
        v = v * 10u + (uint64_t)(s[i] - '0');
        if (v > 0x7fffffffu) {
            return err_set(e, "number too large");
        }
        i++;
    }
    if (i > 1 && s[0] == '0') {
        return err_set(e, "leading zero in '%.*s'", i, s);
    }
    if (wild != NULL) {
        *wild = false;
    }
    *out = (uint32_t)v;
    return i;
}

/* A possibly partial version: "1", "1.2", "1.x", "1.2.3-rc.1+b". *nparts is
 * how many numeric parts were given (wildcards end the count). */
static int parse_partial(const char *s, size_t len, struct semver *v, int *nparts, struct err *e)
{
    char buf[200];
    if (len == 0 || len >= sizeof(buf)) {
        return err_set(e, len == 0 ? "missing version" : "version too long");
    }
    memcpy(buf, s, len);
    buf[len] = '\0';
    memset(v, 0, sizeof(*v));
    uint32_t *parts[3] = {&v->major, &v->minor, &v->patch};
    const char *p = buf;
    *nparts = 0;
    bool wild_seen = false;
    for (int i = 0; i < 3; i++) {
        bool wild;
        int n = parse_num(p, parts[i], &wild, e);
        if (n < 0) {
            return -1;
        }
        if (wild) {
            wild_seen = true;
        } else if (wild_seen) {
            return err_set(e, "a number cannot follow a wildcard in '%s'", buf);
        } else {
            (*nparts)++;
        }
        p += n;
        if (*p != '.') {
            break;
        }
        p++;
        if (i == 2) {
            return err_set(e, "too many parts in '%s'", buf);
        }
    }
    const char *plus = strchr(p, '+');
    size_t prelen = plus ? (size_t)(plus - p) : strlen(p);
    if (*p == '-') {
        if (*nparts < 3) {
            return err_set(e, "a pre-release needs a full version in '%s'", buf);
        }
        if (parse_idents(p + 1, prelen - 1, true, v->pre, sizeof(v->pre), e) != 0) {
            return -1;
        }
    } else if (prelen != 0) {
        return err_set(e, "unexpected '%s' in '%s'", p, buf);
    }
    if (plus != NULL &&
        parse_idents(plus + 1, strlen(plus + 1), false, v->build, sizeof(v->build), e) != 0) {
        return -1;
    }
    return 0;
}

int semver_parse(const char *s, struct semver *out, struct err *e)
{
    int nparts;
    if (s == NULL) {
        return err_set(e, "missing version");
    }
    if (parse_partial(s, strlen(s), out, &nparts, e) != 0) {
        return -1;
    }
    if (nparts != 3) {
        return err_set(e, "'%s' is not a full version (write MAJOR.MINOR.PATCH, e.g. 1.0.0)", s);
    }
    return 0;
}

static int compare_pre(const char *a, const char *b)
{
    /* A release outranks its pre-releases. */
    if (*a == '\0' || *b == '\0') {
        return (*a == '\0') - (*b == '\0');
    }
    while (*a != '\0' && *b != '\0') {
        size_t la = strcspn(a, "."), lb = strcspn(b, ".");
        bool na = strspn(a, "0123456789") >= la, nb = strspn(b, "0123456789") >= lb;
        int c;
        if (na && nb) {
            c = la != lb ? (la < lb ? -1 : 1) : strncmp(a, b, la);
        } else if (na != nb) {
            c = na ? -1 : 1; /* numeric identifiers rank lower */
        } else {
            c = strncmp(a, b, la < lb ? la : lb);
            if (c == 0 && la != lb) {
                c = la < lb ? -1 : 1;
            }
        }
        if (c != 0) {
            return c < 0 ? -1 : 1;
        }
        a += la + (a[la] == '.');
        b += lb + (b[lb] == '.');
    }
    return (*a != '\0') - (*b != '\0');
}

int semver_compare(const struct semver *a, const struct semver *b)
{
    if (a->major != b->major) {
        return a->major < b->major ? -1 : 1;
    }
    if (a->minor != b->minor) {
        return a->minor < b->minor ? -1 : 1;
    }
    if (a->patch != b->patch) {
        return a->patch < b->patch ? -1 : 1;
    }
    return compare_pre(a->pre, b->pre);
}

void semver_format(const struct semver *v, char *buf, size_t len)
{
    snprintf(buf, len, "%u.%u.%u%s%s%s%s", v->major, v->minor, v->patch, v->pre[0] ? "-" : "",
             v->pre, v->build[0] ? "+" : "", v->build);
}

static int add_cmp(struct constraint_set *set, enum semver_op op, const struct semver *v,
                   struct err *e)
{
    if (set->n == CONSTRAINT_MAX_CMP) {
        return err_set(e, "more than %d comparisons", CONSTRAINT_MAX_CMP);
    }
    set->cmp[set->n].op = op;
    set->cmp[set->n].v = *v;
    set->cmp[set->n].v.build[0] = '\0';
    set->n++;
    return 0;
}

/* The first version above everything that matches the first @p nparts parts. */
static struct semver bump(const struct semver *v, int nparts)
{
    struct semver u = {0};
    if (nparts <= 1) {
        u.major = v->major + 1;
    } else if (nparts == 2) {
        u.major = v->major;
        u.minor = v->minor + 1;
    } else {
        u.major = v->major;
        u.minor = v->minor;
        u.patch = v->patch + 1;
    }
    return u;
}

/* Number of leading parts a caret keeps fixed: the first non-zero one. */
static int caret_parts(const struct semver *v, int nparts)
{
    if (v->major > 0 || nparts == 1) {
        return 1;
    }
    if (v->minor > 0 || nparts == 2) {
        return 2;
    }
    return 3;
}

/* One comparator token such as "^1.2", ">=1.0.0", "1.x" or "*". */
static int parse_token(const char *tok, size_t len, struct constraint_set *set, struct err *e)
{
    static const struct {
        const char *s;
        int op; /* semver_op, or 'c' caret, 't' tilde */
    } ops[] = {{">=", SEMVER_GE}, {"<=", SEMVER_LE}, {">", SEMVER_GT}, {"<", SEMVER_LT},
               {"=", SEMVER_EQ},  {"^", 'c'},        {"~", 't'}};
    int op = -1;
    for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
        size_t ol = strlen(ops[i].s);
        if (len >= ol && strncmp(tok, ops[i].s, ol) == 0) {
            op = ops[i].op;
            tok += ol;
            len -= ol;
            break;
        }
    }
    while (len > 0 && *tok == ' ') {
        tok++;
        len--;
    }
    if (op < 0 && len == 1 && (*tok == '*' || *tok == 'x' || *tok == 'X')) {
        return 0; /* any release: no comparator */
    }
    struct semver v;
    int np;
    if (parse_partial(tok, len, &v, &np, e) != 0) {
        return -1;
    }
    if (np == 0) {
        if (op == -1 || op == SEMVER_EQ || op == SEMVER_GE || op == SEMVER_LE) {
            return 0;
        }
        return err_set(e, "'%.*s' needs a version number", (int)len, tok);
    }
    /* Every form is a lower bound, an upper bound, or both. */
    struct semver lo = v, hi = v;
    enum semver_op lo_op = SEMVER_GE, hi_op = SEMVER_LT;
    bool has_lo = true, has_hi = true;
    switch (op) {
    case 'c':
        hi = bump(&v, caret_parts(&v, np));
        break;
    case 't':
        hi = bump(&v, np == 1 ? 1 : 2);
        break;
    case SEMVER_GE:
        has_hi = false;
        break;
    case SEMVER_GT:
        has_hi = false;
        if (np == 3) {
            lo_op = SEMVER_GT;
        } else {
            lo = bump(&v, np);
        }
        break;
    case SEMVER_LT:
        has_lo = false;
        break;
    case SEMVER_LE:
        has_lo = false;
        if (np == 3) {
            hi_op = SEMVER_LE;
        } else {
            hi = bump(&v, np);
        }
        break;
    default: /* exact, or a partial version meaning "any with these parts" */
        if (np == 3) {
            lo_op = SEMVER_EQ;
            has_hi = false;
        } else {
            hi = bump(&v, np);
        }
        break;
    }
    /* An upper bound made from a partial version (<1.0, ^1.2, ~1.2, 1.x)
     * lies below every pre-release of that version, as node-semver and
     * Cargo have it: `>1.0.0-alpha, <1.0` does not take 1.0.0-beta. */
    if (has_hi && hi_op == SEMVER_LT && !(op == SEMVER_LT && np == 3)) {
        snprintf(hi.pre, sizeof(hi.pre), "0");
    }
    if (has_lo && add_cmp(set, lo_op, &lo, e) != 0) {
        return -1;
    }
    if (has_hi && add_cmp(set, hi_op, &hi, e) != 0) {
        return -1;
    }
    return 0;
}

static bool is_op_only(const char *t, size_t n)
{
    return n > 0 && strspn(t, "<>=^~") == n;
}

/* The end of the token at @p p: an operator written apart from its version
 * (">= 1.2") is one token with it. */
static const char *token_end(const char *p, const char *end)
{
    const char *t = p;
    while (p < end && *p != ' ' && *p != ',') {
        p++;
    }
    if (is_op_only(t, (size_t)(p - t))) {
        while (p < end && *p == ' ') {
            p++;
        }
        while (p < end && *p != ' ' && *p != ',') {
            p++;
        }
    }
    return p;
}

/* An inclusive range "A - B" of two versions without operators. */
static int parse_range(const char *a, size_t alen, const char *b, size_t blen,
                       struct constraint_set *set, struct err *e)
{
    char lo[160], hi[160];
    if (blen == 0) {
        return err_set(e, "a range needs an upper bound, e.g. 1.0 - 2.0");
    }
    snprintf(lo, sizeof(lo), ">=%.*s", (int)alen, a);
    snprintf(hi, sizeof(hi), "<=%.*s", (int)blen, b);
    return parse_token(lo, strlen(lo), set, e) != 0 ? -1 : parse_token(hi, strlen(hi), set, e);
}

/* One alternative: comparator tokens separated by ',' or spaces, each a
 * comparison or an inclusive range "A - B"; all must hold. */
static int parse_set(const char *s, size_t len, struct constraint_set *set, struct err *e)
{
    set->n = 0;
    const char *end = s + len;
    const char *p = s;
    bool any = false;
    bool comma = false;
    while (p < end) {
        while (p < end && (*p == ' ' || *p == ',')) {
            if (*p == ',' && (comma || !any)) {
                return err_set(e, "a ',' must stand between two comparisons");
            }
            comma = comma || *p == ',';
            p++;
        }
        if (p == end) {
            break;
        }
        comma = false;
        const char *t = p;
        p = token_end(p, end);
        /* A lone '-' after a version and a space makes it a range's start. */
        const char *q = p;
        while (q < end && *q == ' ') {
            q++;
        }
        bool bare = strchr("<>=^~", *t) == NULL;
        if (bare && q > p && q < end && *q == '-' && (q + 1 == end || q[1] == ' ')) {
            const char *u = q + 1;
            while (u < end && *u == ' ') {
                u++;
            }
            const char *uend = token_end(u, end);
            if (parse_range(t, (size_t)(p - t), u, (size_t)(uend - u), set, e) != 0) {
                return -1;
            }
            p = uend;
        } else if (parse_token(t, (size_t)(p - t), set, e) != 0) {
            return -1;
        }
        any = true;
    }
    if (!any || comma) {
        return err_set(e, any ? "a ',' must stand between two comparisons" : "empty constraint");
    }
    return 0;
}

int constraint_parse(const char *s, struct constraint *out, struct err *e)
{
    memset(out, 0, sizeof(*out));
    if (s == NULL) {
        return err_set(e, "empty constraint");
    }
    while (*s == ' ') {
        s++;
    }
    size_t len = strlen(s);
    while (len > 0 && s[len - 1] == ' ') {
        len--;
    }
    if (len == 0 || len >= sizeof(out->text)) {
        return err_set(e, len == 0 ? "empty constraint" : "constraint too long");
    }
    memcpy(out->text, s, len);
    const char *p = s, *end = s + len;
    while (p <= end) {
        const char *bar = strstr(p, "||");
        const char *stop = (bar != NULL && bar < end) ? bar : end;
        if (out->n_alt == CONSTRAINT_MAX_ALT) {
            return err_set(e, "more than %d alternatives", CONSTRAINT_MAX_ALT);
        }
        if (parse_set(p, (size_t)(stop - p), &out->alt[out->n_alt++], e) != 0) {
            return -1;
        }
        p = stop + 2;
    }
    return 0;
}

static bool cmp_holds(const struct semver_cmp *c, const struct semver *v)
{
    int r = semver_compare(v, &c->v);
    switch (c->op) {
    case SEMVER_EQ:
        return r == 0;
    case SEMVER_GT:
        return r > 0;
    case SEMVER_GE:
        return r >= 0;
    case SEMVER_LT:
        return r < 0;
    case SEMVER_LE:
        return r <= 0;
    }
    return false;
}

static bool set_match(const struct constraint_set *s, const struct semver *v)
{
    bool pre_allowed = v->pre[0] == '\0';
    for (size_t i = 0; i < s->n; i++) {
        const struct semver *c = &s->cmp[i].v;
        if (!cmp_holds(&s->cmp[i], v)) {
            return false;
        }
        if (c->pre[0] != '\0' && c->major == v->major && c->minor == v->minor &&
            c->patch == v->patch) {
            pre_allowed = true;
        }
    }
    return pre_allowed;
}

bool constraint_match(const struct constraint *c, const struct semver *v)
{
    for (size_t i = 0; i < c->n_alt; i++) {
        if (set_match(&c->alt[i], v)) {
            return true;
        }
    }
    return false;
}

int constraint_read(struct ydoc *d, yaml_node_t *v, const char *where, char **text,
                    struct constraint *c, struct err *e)
{
    char *t = NULL;
    struct constraint parsed;
    if (ydoc_str(d, v, where, &t, e) != 0) {
        return -1;
    }
    int rc = constraint_parse(t, c != NULL ? c : &parsed, e);
    if (rc != 0) {
        err_prefix(e, "%s:%lu: '%s': invalid version constraint '%s': ", d->path, ydoc_line(v),
                   where, t);
        err_hint(e, "examples: ^1.2, ~1.2.3, >=1.0 <2.0, 1.4.2, * (docs/project-files.md)");
    }
    if (text != NULL && rc == 0) {
        *text = t;
    } else {
        free(t);
    }
    return rc;
}
