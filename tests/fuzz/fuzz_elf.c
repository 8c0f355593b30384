/* The section table of an ELF file, as cmrx-sdk reads the linked firmware. */
#define _GNU_SOURCE /* memfd_create */
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "elf32.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int fd = memfd_create("elf", 0);
    FUZZ_CHECK(fd >= 0 && write(fd, data, size) == (ssize_t)size);
    char path[64];
    snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
    struct elf_file f;
    struct err e = {0};
    int rc = elf_read(path, &f, &e);
    FUZZ_FAILED_WELL(rc, e);
    if (rc == 0) {
        (void)elf_find(&f, ".text");
        elf_free(&f);
    }
    close(fd);
    return 0;
}
