#include "image.h"

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmrx/update.h>

#include "../../src/sha256.h"
#include "elf32.h"
#include "fsutil.h"

/* The header's leading fields, which lie where they do on the host too
 * (the pointers come later). */
#define HDR_MAGIC  offsetof(struct cmrx_image, magic)
#define HDR_FORMAT offsetof(struct cmrx_image, format)
#define HDR_SHA    offsetof(struct cmrx_image, sha256)
#define HDR_SIZE   offsetof(struct cmrx_image, size)
_Static_assert(offsetof(struct cmrx_image, size) == 40, "image header: its leading fields");

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The table of an image's interfaces (served or called) at header offset
 * @p at: its entries, or -1 with why in e if it does not lie in the image. */
static int64_t table_entries(const uint8_t *img, uint32_t size, uint32_t at, const char *proc,
                             const char *what, struct err *e)
{
    uint32_t slot = le32(img + CMRX_IMAGE32_SLOT), vs = le32(img + at), ve = le32(img + at + 4u);
    if (vs < slot || ve < vs || ve - slot > size || (ve - vs) % CMRX_VTDESC32_SIZE != 0) {
        err_set(e, "process %s: its image's table of the interfaces it %s lies outside it", proc,
                what);
        return -1;
    }
    uint32_t n = (ve - vs) / CMRX_VTDESC32_SIZE;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t name = le32(img + (vs - slot) + i * CMRX_VTDESC32_SIZE + 8u);
        const uint8_t *p = img + (name - slot);
        size_t room = name >= slot && name - slot < size ? size - (name - slot) : 0;
        size_t len = room ? strnlen((const char *)p, room) : room;
        if (room == 0 || len == room || len + 1u > CMRX_UPDATE_IFACE_NAME_MAX) {
            err_set(e,
                    "process %s: the name of an interface it %s is longer than %u bytes "
                    "(CMRX_UPDATE_IFACE_NAME_MAX, its NUL included), or not in its image",
                    proc, what, (unsigned)CMRX_UPDATE_IFACE_NAME_MAX);
            return -1;
        }
    }
    return n;
}

/* The limits the kernel checks an image's interfaces against (update.h),
 * said at the build: 0, or -1 with why in e. */
static int iface_limits(const uint8_t *img, uint32_t size, const char *proc, struct err *e)
{
    if (size < CMRX_IMAGE32_CALLS + 8u) {
        return err_set(e, "process %s: its image header is cut short", proc);
    }
    int64_t n = table_entries(img, size, CMRX_IMAGE32_VTABLES, proc, "serves", e);
    if (n > CMRX_UPDATE_MAX_INTERFACES) {
        return err_set(e,
                       "process %s serves %u interfaces; an updatable process may serve at "
                       "most %u (CMRX_UPDATE_MAX_INTERFACES)",
                       proc, (unsigned)n, (unsigned)CMRX_UPDATE_MAX_INTERFACES);
    }
    int64_t c = n < 0 ? -1 : table_entries(img, size, CMRX_IMAGE32_CALLS, proc, "calls", e);
    if (c > CMRX_UPDATE_MAX_CALLS) {
        return err_set(e,
                       "process %s calls %u objects of other processes (CMRX_CALLS); an "
                       "updatable process may call at most %u (CMRX_UPDATE_MAX_CALLS)",
                       proc, (unsigned)c, (unsigned)CMRX_UPDATE_MAX_CALLS);
    }
    return c < 0 ? -1 : 0;
}

int image_seal(const char *elf_path, const char *proc, const char *raw_path, const char *out_path,
               struct err *e)
{
    char *raw;
    size_t len;
    if (read_file(raw_path, &raw, &len, e) != 0) {
        return -1;
    }
    uint8_t *img = (uint8_t *)raw;
    int rc = -1;
    uint32_t size = len >= HDR_SIZE + 4u ? le32(img + HDR_SIZE) : 0;
    if (len < HDR_SIZE + 4u || le32(img + HDR_MAGIC) != CMRX_IMAGE_MAGIC ||
        img[HDR_FORMAT] != CMRX_IMAGE_FORMAT || size < HDR_SIZE + 4u || size > len) {
        err_set(e, "%s: no sound image header of process %s at the start of its slot", raw_path,
                proc);
        goto out;
    }
    if (iface_limits(img, size, proc, e) != 0) {
        goto out;
    }
    struct cmrx_sha256 h;
    memset(img + HDR_SHA, 0, CMRX_SHA256_LEN);
    cmrx_sha256_init(&h);
    cmrx_sha256_update(&h, img, size);
    cmrx_sha256_final(&h, img + HDR_SHA);
    if (write_file_atomic(out_path, raw, size, e) != 0) {
        goto out;
    }
    /* The same hash into the firmware's copy of the header. */
    struct elf_file elf;
    if (elf_read(elf_path, &elf, e) != 0) {
        goto out;
    }
    char name[128];
    snprintf(name, sizeof(name), ".cmrx.slot.%s", proc);
    const struct elf_section *s = elf_find(&elf, name);
    bool found = s != NULL;
    uint32_t at = found ? s->offset : 0;
    elf_free(&elf);
    if (!found) {
        err_set(e, "%s: no section %s", elf_path, name);
        goto out;
    }
    FILE *f = fopen(elf_path, "r+b");
    if (f == NULL || fseek(f, (long)at + HDR_SHA, SEEK_SET) != 0 ||
        fwrite(img + HDR_SHA, 1, CMRX_SHA256_LEN, f) != CMRX_SHA256_LEN) {
        err_set(e, "cannot write %s: %s", elf_path, strerror(errno));
        if (f != NULL) {
            fclose(f);
        }
        goto out;
    }
    rc = fclose(f) == 0 ? 0 : err_set(e, "cannot write %s: %s", elf_path, strerror(errno));
out:
    free(raw);
    return rc;
}
