/* The pyOCD flasher: programs and debugs real boards through a debug probe,
 * using the target bsp.yaml names (pyocd.target). A current pyOCD has one
 * command, `pyocd` (`pyocd flash`, `pyocd gdbserver`); Debian 12's 0.13
 * has `pyocd-flashtool` and `pyocd-gdbserver`. cmrx prefers `pyocd`. */
#ifndef CMRX_CLI_PYOCD_H
#define CMRX_CLI_PYOCD_H

#include <stdbool.h>

#include "build.h"
#include "err.h"
#include "spawn.h"

struct pyocd {
    bool modern; /**< `pyocd` is installed (else pyocd-flashtool and pyocd-gdbserver) */
};

/**
 * Find pyOCD for @p purpose ("cmrx flash") and check that board @p b has a
 * pyOCD target.
 * @return 0, or -1 with a message (no pyOCD target, pyOCD not installed).
 */
int pyocd_find(const struct build *b, const char *purpose, struct pyocd *p, struct err *e);

/** The command that programs @p hex (NULL: @p b's firmware, its .hex) into
 * @p b's board, on probe @p probe if not NULL. */
void pyocd_flash_command(const struct pyocd *p, const struct build *b, const char *probe,
                         const char *hex, struct argv *a);

/** The command that serves gdb on TCP @p port for @p b's target. */
void pyocd_gdbserver_command(const struct pyocd *p, const struct build *b, const char *probe,
                             unsigned port, struct argv *a);

/** Whether pyOCD's output @p output says that no probe is connected (or that it waits for one). */
bool pyocd_no_probe(const char *output);

/**
 * Turn what a failed pyOCD run printed (@p output) into a message: no probe
 * connected, an unknown target, or a plain failure with exit status @p code.
 * @return -1.
 */
int pyocd_failed(const struct build *b, const char *output, int code, struct err *e);

#endif
