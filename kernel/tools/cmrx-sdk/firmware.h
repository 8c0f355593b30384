/* A firmware description: what the CMake SDK knows about one firmware
 * (board memory, MPU kind, processes), as cmrx.cmake writes it to its
 * layout.in file, a YAML document read by the same reader and rules as
 * cmrx.yaml's processes:
 *
 *   firmware: demo
 *   board: qemu-mps2-an385
 *   cpu: cortex-m3
 *   image_slot: 0               # slot updatable processes are linked for; optional
 *   mpu: { arch: armv7m, regions: 8 }
 *   flash: { base: 0x00000000, size: 4194304 }
 *   ram: { base: 0x20000000, size: 4194304 }
 *   vectors: 48
 *   kernel_stack: 1024          # optional
 *   boot: 256                   # the boot header's size; optional
 *   processes:
 *     - { name: hello, threads: 2, system: true }
 */
#ifndef CMRX_SDK_FIRMWARE_H
#define CMRX_SDK_FIRMWARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "layout.h"
#include "process.h"

struct firmware {
    char *name;
    char *board;
    char *cpu;
    uint32_t image_slot; /* 0 (A) or 1 (B): the slot its updatable processes are linked for */
    enum mpu_arch arch;
    uint32_t mpu_regions;
    uint32_t flash_base;
    uint32_t flash_size;
    uint32_t flash_erase_size; /* the board's flash erase unit; 0: no flash driver */
    uint32_t ram_base;
    uint32_t ram_size;
    uint32_t boot_size; /* the board's boot header at the start of flash, 0 if none */
    uint32_t vectors;   /* entries in the vector table, which follows the header */
    uint32_t kernel_stack;
    struct process_decl *procs;
    size_t n_procs;
};

/**
 * Read and check a firmware description: each process as limits.h allows,
 * and together (interrupts that exist and have one owner, thread slots and
 * timers within the kernel's tables).
 * @return 0, or -1 with "file:line: message".
 */
int fw_parse(const char *path, struct firmware *fw, struct err *e);

/** fw_parse() of the @p len bytes of @p text, named @p path in messages. */
int fw_parse_text(const char *path, const char *text, size_t len, struct firmware *fw,
                  struct err *e);

void fw_free(struct firmware *fw);

/** Per-thread stack slot of process @p p under the firmware's MPU rules. */
uint32_t fw_stack_slot(const struct firmware *fw, const struct process_decl *p);

/* Flash of updatable processes, at its end: each one's two slots (A then
 * B, in declaration order downwards), and above them the commit log, two
 * of the board's flash erase units (slots are whole units, so every slot
 * starts a unit). Fixed addresses: an image is linked for its slot, and
 * tools find the log. */

/** The flash address of slot @p slot (0: A, 1: B) of updatable process @p p. */
uint32_t fw_slot_addr(const struct firmware *fw, const struct process_decl *p, unsigned slot);

/** The flash address of the commit log: two erase units at the end of flash. */
uint32_t fw_log_addr(const struct firmware *fw);

/** Bytes of the commit log (0 without updatable processes). */
uint32_t fw_log_size(const struct firmware *fw);

/** Bytes at the end of flash that slots and the commit log take. */
uint32_t fw_slots_size(const struct firmware *fw);

/** @return the index of process @p name in the firmware's table, or -1. */
int fw_process_index(const struct firmware *fw, const char *name);

/** Size of the null guard at the start of flash (0 when flash does not start at 0);
 * it covers the boot header and the vector table. */
uint32_t fw_guard_size(const struct firmware *fw);

#endif
