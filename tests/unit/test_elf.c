/* The ELF reader of cmrx-sdk: sizes and offsets in the file are checked
 * against the file before anything is allocated or read (fuzz_elf found
 * a section name table of 0xFFFFFFFF bytes written past its buffer). */
#include <elf.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "elf32.h"

static char path[64];

/* A file of an ELF header and two section headers: the null one and the
 * name table, whose offset and size are @p off and @p size. */
static int read_with_names_at(uint32_t off, uint32_t size, struct err *e)
{
    Elf32_Ehdr eh = {0};
    Elf32_Shdr sh[2] = {0};
    memcpy(eh.e_ident, ELFMAG, SELFMAG);
    eh.e_ident[EI_CLASS] = ELFCLASS32;
    eh.e_ident[EI_DATA] = ELFDATA2LSB;
    eh.e_shoff = sizeof(eh);
    eh.e_shentsize = sizeof(Elf32_Shdr);
    eh.e_shnum = 2;
    eh.e_shstrndx = 1;
    sh[1].sh_offset = off;
    sh[1].sh_size = size;
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fwrite(&eh, sizeof(eh), 1, f);
    fwrite(sh, sizeof(sh), 1, f);
    fwrite("\0.text", 1, 7, f); /* 7 bytes of names after the headers */
    fclose(f);
    struct elf_file elf;
    int rc = elf_read(path, &elf, e);
    if (rc == 0) {
        elf_free(&elf);
    }
    return rc;
}

static void sizes_past_the_file_are_refused(void **state)
{
    (void)state;
    struct err e = {0};
    uint32_t names = sizeof(Elf32_Ehdr) + 2 * sizeof(Elf32_Shdr);
    assert_int_equal(read_with_names_at(names, 7, &e), 0);
    assert_int_equal(read_with_names_at(names, 0xFFFFFFFFu, &e), -1);
    assert_non_null(strstr(e.msg, "truncated section name table"));
    assert_int_equal(read_with_names_at(0xFFFFFFF0u, 7, &e), -1);
    assert_int_equal(read_with_names_at(names, 8, &e), -1); /* one byte past the end */
}

int main(void)
{
    snprintf(path, sizeof(path), "/tmp/cmrx-test-elf-%d", (int)getpid());
    const struct CMUnitTest tests[] = {cmocka_unit_test(sizes_past_the_file_are_refused)};
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    remove(path);
    return rc;
}
