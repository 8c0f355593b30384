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

/**
 * Add to @p a QEMU's user network for the board's NIC (the first peripheral
 * of its bsp.yaml whose driver QEMU models: lan9118), with @p n port
 * forwards "tcp:HOST:BOARD" / "udp:HOST:BOARD" from 127.0.0.1 only. A HOST
 * of 0 becomes a free port. Each forward is said on stderr.
 * @return 0, or -1 when the board has no NIC QEMU models.
 */
int qemu_network(const struct build *b, char *const *forwards, size_t n, struct argv *a,
                 struct err *e);

#endif
