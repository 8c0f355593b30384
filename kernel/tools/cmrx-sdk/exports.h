/* The CMRX_SERVICE objects of an updatable process, compared between the
 * firmware's version and a new one (docs/updating.md): clients are linked
 * against their addresses, so a new version must define the same objects,
 * by name, at the same place and of the same size. */
#ifndef CMRX_SDK_EXPORTS_H
#define CMRX_SDK_EXPORTS_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

/** A CMRX_SERVICE object: its name, offset in the process's service area, size. */
struct export_obj {
    const char *name;
    uint32_t offset;
    uint32_t size;
};

/**
 * Compare the service objects of version @p was of process @p proc with
 * those of version @p now.
 * @return 0 if they are the same by name, offset and size; else -1 with a
 *         message naming each object that moved or changed size, vanished
 *         or was added.
 */
int exports_compare(const char *proc, const struct export_obj *was, size_t n_was,
                    const struct export_obj *now, size_t n_now, struct err *e);

/**
 * Check that the image of updatable process @p proc linked in @p new_elf
 * defines the same CMRX_SERVICE objects as the firmware @p fw_elf (its
 * symbols in [__cmrx_p_PROC_exports, __cmrx_p_PROC_exports_end)).
 * @return 0, or -1 with a message.
 */
int exports_check(const char *fw_elf, const char *new_elf, const char *proc, struct err *e);

#endif
