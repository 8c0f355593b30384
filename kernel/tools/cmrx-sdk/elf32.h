/* Section table and symbols of a 32-bit little-endian ELF file (the
 * firmware image). */
#ifndef CMRX_SDK_ELF32_H
#define CMRX_SDK_ELF32_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

struct elf_section {
    char *name;
    uint32_t addr;
    uint32_t size;
    uint32_t align;
    uint32_t type;   /* SHT_* */
    uint32_t flags;  /* SHF_* */
    uint32_t offset; /* of its contents in the file */
};

struct elf_file {
    struct elf_section *sections;
    size_t count;
};

/**
 * Read the section headers of @p path.
 * @return 0, or -1 with a message.
 */
int elf_read(const char *path, struct elf_file *out, struct err *e);

/** @return the section named @p name, or NULL. */
const struct elf_section *elf_find(const struct elf_file *f, const char *name);

/** Release what elf_read() allocated. */
void elf_free(struct elf_file *f);

struct elf_symbol {
    char *name;
    uint32_t value;
    uint32_t size;
    uint8_t type; /* STT_* */
};

/**
 * Read the symbol table of @p path (its first SHT_SYMTAB section).
 * @return 0 with @p out (free with elf_symbols_free()) and @p count, or -1
 *         with a message.
 */
int elf_symbols(const char *path, struct elf_symbol **out, size_t *count, struct err *e);

/** Release what elf_symbols() allocated. */
void elf_symbols_free(struct elf_symbol *s, size_t count);

#endif
