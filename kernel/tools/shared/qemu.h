/* The one QEMU command line of the SDK. `cmrx run` and `cmrx debug` build
 * it here, and so do the QEMU tests, the benchmarks and the profiler,
 * through `cmrx-sdk qemu`: a board's QEMU machine and console port, the
 * console on stdio, semihosting for the firmware's exit code. */
#ifndef CMRX_SHARED_QEMU_H
#define CMRX_SHARED_QEMU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bsp.h"
#include "err.h"
#include "fsutil.h"

/** The emulator. */
#define QEMU_PROGRAM "qemu-system-arm"

struct qemu_opts {
    const char *machine; /**< bsp.yaml qemu.machine */
    unsigned serial;     /**< bsp.yaml qemu.serial: the console UART's port */
    const char *elf;
    bool console_null;     /**< the console goes nowhere (else to stdio) */
    unsigned gdb_port;     /**< not 0: the CPU waits at reset for gdb on this TCP port */
    bool icount;           /**< one instruction per virtual ns, idle time skipped (not with a
                                nic: there it passes as on the host): exact counts */
    const char *trace;     /**< not NULL: this file gets a line per instruction executed */
    char *const *extra;    /**< further arguments (a test board's -cpu), NULL-terminated */
    const char *nic;       /**< not NULL: this network card model on QEMU's user network */
    char *const *forwards; /**< "tcp:HOST:BOARD" forwards from 127.0.0.1, checked with
                              qemu_forward_parse(), HOST not 0 */
    size_t n_forwards;
    /** Not NULL: the host file that backs the board's qemu.storage memory
     * (every store lands in the file at once, so killing QEMU at any
     * instant leaves it as a power cut leaves flash). */
    const char *image;
    uint32_t image_size; /**< bsp.yaml qemu.storage.size */
    /** UARTs besides the console (bsp.yaml peripherals with qemu_serial),
     * each on a TCP port of 127.0.0.1 that QEMU listens on: a client
     * connects when it likes, and the board's UART is idle until then. */
    const struct qemu_uart *uarts;
    size_t n_uarts;
};

/** A board UART QEMU offers on a local TCP port. */
struct qemu_uart {
    unsigned serial; /**< its QEMU serial port (bsp.yaml qemu_serial) */
    unsigned port;   /**< the TCP port of 127.0.0.1 */
};

/**
 * Make @p path ready to back @p size bytes of storage: a missing file is
 * created erased (every byte 0xFF, as new flash); an existing one must have
 * exactly that size. @return 0, or -1 with a message (nothing changed).
 */
int qemu_image_prepare(const char *path, uint32_t size, struct err *e);

/**
 * The network card of board @p b QEMU models: the model of its first
 * bsp.yaml peripheral whose driver QEMU emulates (lan9118), that
 * peripheral in *@p periph. @return NULL if the board has none.
 */
const char *qemu_nic(const struct bsp *b, const struct bsp_peripheral **periph);

/**
 * Parse a port forward "tcp:HOST:BOARD" or "udp:HOST:BOARD": BOARD is
 * 1..65535, HOST 0..65535 (0: a free port, chosen when the board runs).
 * @return 0 with the parts, or -1.
 */
int qemu_forward_parse(const char *s, bool *udp, unsigned *host, unsigned *board);

/** @return a port of 127.0.0.1 nobody uses now (QEMU binds it next), or 0. */
unsigned qemu_free_port(bool udp);

/** Append the command that boots @p o->elf as @p o says to @p a. */
void qemu_command(const struct qemu_opts *o, struct argv *a);

#endif
