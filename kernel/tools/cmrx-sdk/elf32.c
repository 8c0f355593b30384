/* Reads only what the SDK needs: section names, addresses, sizes (the
 * layout step), and symbols (the check of an image's service objects). */
#include "elf32.h"

#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* @p len bytes at @p off of the file, and a NUL after them; NULL if the file
 * is shorter (the sizes come from the file: nothing is believed blindly). */
static char *read_at(FILE *fp, uint64_t off, uint64_t len)
{
    if (fseek(fp, 0, SEEK_END) != 0 || ftell(fp) < 0 || off + len > (uint64_t)ftell(fp)) {
        return NULL;
    }
    char *buf = malloc((size_t)len + 1);
    if (buf == NULL || fseek(fp, (long)off, SEEK_SET) != 0 || fread(buf, 1, len, fp) != len) {
        free(buf);
        return NULL;
    }
    buf[len] = '\0';
    return buf;
}

/* The ELF header and the section headers of @p fp (@p path), checked:
 * 0 with *sh to free, or -1 with why. */
static int read_headers(FILE *fp, const char *path, Elf32_Ehdr *eh, Elf32_Shdr **sh, struct err *e)
{
    *sh = NULL;
    if (fread(eh, sizeof(*eh), 1, fp) != 1 || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 ||
        eh->e_ident[EI_CLASS] != ELFCLASS32 || eh->e_ident[EI_DATA] != ELFDATA2LSB) {
        return err_set(e, "%s: not a 32-bit little-endian ELF file", path);
    }
    if (eh->e_shentsize != sizeof(Elf32_Shdr) || eh->e_shstrndx >= eh->e_shnum) {
        return err_set(e, "%s: unexpected section header layout", path);
    }
    *sh = (Elf32_Shdr *)read_at(fp, eh->e_shoff, (uint64_t)eh->e_shnum * sizeof(Elf32_Shdr));
    return *sh != NULL ? 0 : err_set(e, "%s: truncated section headers", path);
}

int elf_read(const char *path, struct elf_file *out, struct err *e)
{
    memset(out, 0, sizeof(*out));
    FILE *fp = fopen(path, "rb");
    if (fp == NULL) {
        return err_set(e, "%s: cannot open", path);
    }
    Elf32_Ehdr eh;
    Elf32_Shdr *sh = NULL;
    char *names = NULL;
    int rc = -1;
    if (read_headers(fp, path, &eh, &sh, e) != 0) {
        goto out;
    }
    Elf32_Shdr *strsh = &sh[eh.e_shstrndx];
    names = read_at(fp, strsh->sh_offset, strsh->sh_size);
    if (names == NULL) {
        err_set(e, "%s: truncated section name table", path);
        goto out;
    }
    out->sections = calloc(eh.e_shnum, sizeof(*out->sections));
    if (out->sections == NULL) {
        err_set(e, "out of memory");
        goto out;
    }
    for (unsigned i = 0; i < eh.e_shnum; i++) {
        struct elf_section *s = &out->sections[out->count];
        if (sh[i].sh_name >= strsh->sh_size) {
            continue;
        }
        s->name = strdup(names + sh[i].sh_name);
        s->addr = sh[i].sh_addr;
        s->size = sh[i].sh_size;
        s->align = sh[i].sh_addralign;
        s->type = sh[i].sh_type;
        s->flags = sh[i].sh_flags;
        s->offset = sh[i].sh_offset;
        out->count++;
    }
    rc = 0;
out:
    free(sh);
    free(names);
    fclose(fp);
    if (rc != 0) {
        elf_free(out);
    }
    return rc;
}

const struct elf_section *elf_find(const struct elf_file *f, const char *name)
{
    for (size_t i = 0; i < f->count; i++) {
        if (strcmp(f->sections[i].name, name) == 0) {
            return &f->sections[i];
        }
    }
    return NULL;
}

void elf_free(struct elf_file *f)
{
    for (size_t i = 0; i < f->count; i++) {
        free(f->sections[i].name);
    }
    free(f->sections);
    f->sections = NULL;
    f->count = 0;
}

int elf_symbols(const char *path, struct elf_symbol **out, size_t *count, struct err *e)
{
    *out = NULL;
    *count = 0;
    FILE *fp = fopen(path, "rb");
    if (fp == NULL) {
        return err_set(e, "%s: cannot open", path);
    }
    Elf32_Ehdr eh;
    Elf32_Shdr *sh = NULL;
    Elf32_Sym *syms = NULL;
    char *names = NULL;
    int rc = -1;
    if (read_headers(fp, path, &eh, &sh, e) != 0) {
        goto out;
    }
    unsigned i = 0;
    while (i < eh.e_shnum && sh[i].sh_type != SHT_SYMTAB) {
        i++;
    }
    if (i == eh.e_shnum || sh[i].sh_link >= eh.e_shnum || sh[i].sh_entsize != sizeof(Elf32_Sym)) {
        err_set(e, "%s: no symbol table", path);
        goto out;
    }
    const Elf32_Shdr *strsh = &sh[sh[i].sh_link];
    size_t n = sh[i].sh_size / sizeof(Elf32_Sym);
    syms = (Elf32_Sym *)read_at(fp, sh[i].sh_offset, (uint64_t)n * sizeof(Elf32_Sym));
    names = read_at(fp, strsh->sh_offset, strsh->sh_size);
    *out = calloc(n + 1, sizeof(**out));
    if (syms == NULL || names == NULL || *out == NULL) {
        err_set(e, "%s: truncated symbol table", path);
        goto out;
    }
    for (size_t k = 0; k < n; k++) {
        if (syms[k].st_name >= strsh->sh_size) {
            continue;
        }
        struct elf_symbol *s = &(*out)[(*count)++];
        s->name = strdup(names + syms[k].st_name);
        s->value = syms[k].st_value;
        s->size = syms[k].st_size;
        s->type = (uint8_t)ELF32_ST_TYPE(syms[k].st_info);
    }
    rc = 0;
out:
    free(sh);
    free(syms);
    free(names);
    fclose(fp);
    if (rc != 0) {
        elf_symbols_free(*out, *count);
        *out = NULL;
        *count = 0;
    }
    return rc;
}

void elf_symbols_free(struct elf_symbol *s, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        free(s[i].name);
    }
    free(s);
}
