/* The memory report printed after every firmware build. */
#ifndef CMRX_SDK_REPORT_H
#define CMRX_SDK_REPORT_H

#include <stdio.h>

#include "elf32.h"
#include "firmware.h"
#include "plan.h"

/**
 * Print the per-process flash/RAM/MPU table of the linked firmware and, if
 * @p json_path is not NULL, write the same data as JSON there.
 * Checks that the image matches the plan (sections where they were placed).
 * @return 0 or -1 with a message.
 */
int report_firmware(FILE *out, const struct firmware *fw, const struct elf_file *elf,
                    const struct plan *plan, const char *json_path, struct err *e);

#endif
