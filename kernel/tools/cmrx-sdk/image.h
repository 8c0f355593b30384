/* Process images of updatable processes (docs/updating.md): sealing. */
#ifndef CMRX_SDK_IMAGE_H
#define CMRX_SDK_IMAGE_H

#include "err.h"

/**
 * Seal the image of updatable process @p proc linked into @p elf_path:
 * @p raw_path holds its slot's bytes (objcopy -O binary of the slot and of
 * the process's .data); write its SHA-256 into the header, both in
 * @p out_path (the image, `size` bytes) and in the ELF file (so that the
 * firmware boots it).
 * @return 0, or -1 with a message.
 */
int image_seal(const char *elf_path, const char *proc, const char *raw_path, const char *out_path,
               struct err *e);

#endif
