#include "exports.h"

#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf32.h"
#include "fsutil.h"

static const struct export_obj *find(const struct export_obj *v, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(v[i].name, name) == 0) {
            return &v[i];
        }
    }
    return NULL;
}

int exports_compare(const char *proc, const struct export_obj *was, size_t n_was,
                    const struct export_obj *now, size_t n_now, struct err *e)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = xmemstream(&text, &len);
    for (size_t i = 0; i < n_was; i++) {
        const struct export_obj *o = &was[i], *n = find(now, n_now, o->name);
        if (n == NULL) {
            fprintf(f, "; %s vanished (it was at offset %u, %u bytes)", o->name, o->offset,
                    o->size);
        } else if (n->offset != o->offset || n->size != o->size) {
            fprintf(f, "; %s moved or changed size (offset %u, %u bytes; it was at %u, %u bytes)",
                    o->name, n->offset, n->size, o->offset, o->size);
        }
    }
    for (size_t i = 0; i < n_now; i++) {
        if (find(was, n_was, now[i].name) == NULL) {
            fprintf(f, "; %s was added (offset %u, %u bytes)", now[i].name, now[i].offset,
                    now[i].size);
        }
    }
    fclose(f);
    int rc = 0;
    if (len != 0) {
        rc =
            err_set(e, "process %s: this version's CMRX_SERVICE objects are not the firmware's: %s",
                    proc, text + 2);
        err_hint(e, "clients are linked against the objects' addresses: keep every "
                    "CMRX_SERVICE object of the firmware's version, by name, in the same order "
                    "and size; a new service needs a new firmware (docs/updating.md)");
    }
    free(text);
    return rc;
}

/* The service objects of proc in elf: symbols of data objects in its
 * service area, by offset from its start. */
static int exports_read(const char *elf, const char *proc, struct export_obj **out, size_t *n,
                        struct elf_symbol **syms, size_t *count, struct err *e)
{
    *out = NULL;
    *n = 0;
    if (elf_symbols(elf, syms, count, e) != 0) {
        return -1;
    }
    char lo_name[128], hi_name[128];
    snprintf(lo_name, sizeof(lo_name), "__cmrx_p_%s_exports", proc);
    snprintf(hi_name, sizeof(hi_name), "__cmrx_p_%s_exports_end", proc);
    const struct elf_symbol *lo = NULL, *hi = NULL;
    for (size_t i = 0; i < *count; i++) {
        lo = strcmp((*syms)[i].name, lo_name) == 0 ? &(*syms)[i] : lo;
        hi = strcmp((*syms)[i].name, hi_name) == 0 ? &(*syms)[i] : hi;
    }
    if (lo == NULL || hi == NULL) {
        return err_set(e, "%s: no service area of process %s (%s)", elf, proc, lo_name);
    }
    *out = calloc(*count + 1, sizeof(**out));
    if (*out == NULL) {
        return err_set(e, "out of memory");
    }
    for (size_t i = 0; i < *count; i++) {
        const struct elf_symbol *s = &(*syms)[i];
        if (s->type == STT_OBJECT && s->value >= lo->value && s->value < hi->value) {
            (*out)[(*n)++] = (struct export_obj){s->name, s->value - lo->value, s->size};
        }
    }
    return 0;
}

int exports_check(const char *fw_elf, const char *new_elf, const char *proc, struct err *e)
{
    struct export_obj *was, *now;
    size_t n_was, n_now, c_was = 0, c_now = 0;
    struct elf_symbol *s_was = NULL, *s_now = NULL;
    int rc = exports_read(fw_elf, proc, &was, &n_was, &s_was, &c_was, e);
    if (rc == 0) {
        rc = exports_read(new_elf, proc, &now, &n_now, &s_now, &c_now, e);
        if (rc == 0) {
            rc = exports_compare(proc, was, n_was, now, n_now, e);
        }
        free(now);
    }
    free(was);
    elf_symbols_free(s_was, c_was);
    elf_symbols_free(s_now, c_now);
    return rc;
}
