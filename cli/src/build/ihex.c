#include "ihex.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"

/* One record: its bytes, then the two's complement of their sum. */
static void record(FILE *f, uint8_t type, uint16_t addr, const uint8_t *data, size_t len)
{
    unsigned sum = (unsigned)len + (addr >> 8) + (addr & 0xFFu) + type;
    fprintf(f, ":%02X%04X%02X", (unsigned)len, (unsigned)addr, (unsigned)type);
    for (size_t i = 0; i < len; i++) {
        fprintf(f, "%02X", (unsigned)data[i]);
        sum += data[i];
    }
    fprintf(f, "%02X\n", (unsigned)(-sum & 0xFFu));
}

char *ihex_text(const struct ihex_block *blocks, size_t n)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = xmemstream(&text, &len);
    long upper = -1;
    for (size_t b = 0; b < n; b++) {
        for (size_t off = 0; off < blocks[b].len;) {
            uint32_t addr = blocks[b].addr + (uint32_t)off;
            if ((long)(addr >> 16) != upper) {
                upper = (long)(addr >> 16);
                uint8_t ela[2] = {(uint8_t)(addr >> 24), (uint8_t)(addr >> 16)};
                record(f, 4, 0, ela, 2);
            }
            /* At most 16 bytes, and never across a 64 KiB boundary. */
            size_t chunk = blocks[b].len - off < 16u ? blocks[b].len - off : 16u;
            size_t to_boundary = 0x10000u - (addr & 0xFFFFu);
            chunk = chunk < to_boundary ? chunk : to_boundary;
            record(f, 0, (uint16_t)(addr & 0xFFFFu), blocks[b].data + off, chunk);
            off += chunk;
        }
    }
    record(f, 1, 0, NULL, 0);
    fclose(f);
    return text;
}

int ihex_write(const char *path, const struct ihex_block *blocks, size_t n, struct err *e)
{
    char *text = ihex_text(blocks, n);
    int rc = write_file_atomic(path, text, strlen(text), e);
    free(text);
    return rc;
}
