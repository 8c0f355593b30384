/* The one QEMU command line of the SDK. `cmrx run` and `cmrx debug` build
 * it here, and so do the QEMU tests, the benchmarks and the profiler,
 * through `cmrx-sdk qemu`: a board's QEMU machine and console port, the
 * console on stdio, semihosting for the firmware's exit code. */
#ifndef CMRX_SHARED_QEMU_H
#define CMRX_SHARED_QEMU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "fsutil.h"

/** The emulator. */
#define QEMU_PROGRAM "qemu-system-arm"

struct qemu_opts {
    const char *machine; /**< bsp.yaml qemu.machine */
    unsigned serial;     /**< bsp.yaml qemu.serial: the console UART's port */
    const char *elf;
    bool console_null;  /**< the console goes nowhere (else to stdio) */
    unsigned gdb_port;  /**< not 0: the CPU waits at reset for gdb on this TCP port */
    bool icount;        /**< one instruction per virtual ns, idle time skipped: exact counts */
    const char *trace;  /**< not NULL: this file gets a line per instruction executed */
    char *const *extra; /**< further arguments (a test board's -cpu), NULL-terminated */
    /** Not NULL: the host file that backs the board's qemu.storage memory
     * (every store lands in the file at once, so killing QEMU at any
     * instant leaves it as a power cut leaves flash). */
    const char *image;
    uint32_t image_size; /**< bsp.yaml qemu.storage.size */
};

/**
 * Make @p path ready to back @p size bytes of storage: a missing file is
 * created erased (every byte 0xFF, as new flash); an existing one must have
 * exactly that size. @return 0, or -1 with a message (nothing changed).
 */
int qemu_image_prepare(const char *path, uint32_t size, struct err *e);

/** Append the command that boots @p o->elf as @p o says to @p a. */
void qemu_command(const struct qemu_opts *o, struct argv *a);

#endif
