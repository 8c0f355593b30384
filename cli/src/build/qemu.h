/* The QEMU runner: the qemu-system-arm command that boots a firmware on
 * the machine its board's bsp.yaml names (qemu.machine), with the console
 * UART (qemu.serial) on stdio and semihosting on, so the firmware's
 * cmrx_shutdown() code becomes QEMU's exit status. */
#ifndef CMRX_CLI_QEMU_H
#define CMRX_CLI_QEMU_H

#include "build.h"
#include "err.h"
#include "spawn.h"

/** The emulator cmrx runs. */
#define QEMU_PROGRAM "qemu-system-arm"

/**
 * The command that boots @p b's ELF in QEMU; with @p gdb_port not 0, the
 * CPU waits at reset for gdb on that TCP port.
 * @return 0, or -1 when the board has no QEMU machine (the message points
 * to `cmrx flash` and to the emulated boards).
 */
int qemu_command(const struct build *b, unsigned gdb_port, struct argv *a, struct err *e);

#endif
