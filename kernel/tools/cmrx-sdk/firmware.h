/* A firmware description: what the CMake SDK knows about one firmware
 * (board memory, MPU kind, processes), as written to its layout.in file. */
#ifndef CMRX_SDK_FIRMWARE_H
#define CMRX_SDK_FIRMWARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "layout.h"

#define FW_MAX_MMIO       2  /* MMIO regions per process on every port */
#define FW_MAX_IRQS       16 /* interrupt lines per process */
#define FW_PROC_MPU_WORDS 8  /* (data, shared, mmio0, mmio1) x 2 words */
#define FW_IDLE_STACK     128u
#define FW_MAX_THREADS    254u /* thread slots, idle thread excluded */

struct fw_mmio {
    uint32_t base;
    uint32_t size;
};

struct fw_process {
    char *name;
    uint32_t stack_size; /* as declared */
    uint32_t threads;
    uint32_t timers;
    uint32_t priority;
    uint32_t max_priority; /* ceiling of its threads' priorities */
    uint32_t rpc_stack;    /* stack its methods get; 0: what the caller has left */
    char *policy;
    bool system;
    struct fw_mmio mmio[FW_MAX_MMIO];
    unsigned n_mmio;
    uint16_t irqs[FW_MAX_IRQS];
    unsigned n_irqs;
};

struct firmware {
    char *name;
    char *board;
    enum mpu_arch arch;
    unsigned mpu_regions;
    uint32_t flash_base;
    uint32_t flash_size;
    uint32_t ram_base;
    uint32_t ram_size;
    uint32_t boot_size; /* the board's boot header at the start of flash, 0 if none */
    unsigned vectors;   /* entries in the vector table, which follows the header */
    uint32_t msp_size;
    struct fw_process *procs;
    size_t n_procs;
};

/**
 * Parse a layout.in file. Lines are `key value...` or `key k=v...`;
 * '#' starts a comment.
 * @return 0, or -1 with "file:line: message" in @p err.
 */
int fw_parse(const char *path, struct firmware *fw, char *err, size_t errlen);

void fw_free(struct firmware *fw);

/** Per-thread stack slot of process @p p under the firmware's MPU rules. */
uint32_t fw_stack_slot(const struct firmware *fw, const struct fw_process *p);

/** Size of the null guard at the start of flash (0 when flash does not start at 0);
 * it covers the boot header and the vector table. */
uint32_t fw_guard_size(const struct firmware *fw);

#endif
