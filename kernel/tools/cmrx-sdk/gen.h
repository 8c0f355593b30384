/* Generated build inputs of a firmware: process table and linker scripts. */
#ifndef CMRX_SDK_GEN_H
#define CMRX_SDK_GEN_H

#include <stddef.h>

#include "firmware.h"
#include "plan.h"

/**
 * Write DIR/cmrx_config.c, DIR/firmware.ld and the measuring layout in
 * DIR/measure/. @return 0 or -1 with a message.
 */
int gen_firmware(const struct firmware *fw, const char *dir, struct err *e);

/**
 * Check what gen_firmware() would refuse, without writing anything (the
 * CMake SDK runs it at configure time). @return 0 or -1 with a message.
 */
int gen_check(const struct firmware *fw, struct err *e);

/** Write the final layout (cmrx_symbols.ld, cmrx_ram.ld) of @p plan into @p dir. */
int gen_final_layout(const struct firmware *fw, const struct plan *plan, const char *dir,
                     struct err *e);

#endif
