/* bsp.yaml: the board support package manifest. */
#ifndef CMRX_SHARED_BSP_H
#define CMRX_SHARED_BSP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "boot.h"
#include "err.h"
#include "limits.h"

#define BSP_MAX_SOURCES     32
#define BSP_MAX_PERIPHERALS 32
#define BSP_MAX_PERIPH_IRQS 4
#define BSP_MAX_PERIPH_RESERVED 16 /**< lines of a peripheral the board keeps for itself */
#define BSP_PERIPH_NAME_MAX 31
#define BSP_QEMU_SERIAL_MAX 15 /**< highest QEMU serial port number a board may wire */
#define BSP_NO_QEMU_SERIAL  0xffffffffu

/** A device of the board, named in bsp.yaml `peripherals:` (eth0, timer0...). */
struct bsp_peripheral {
    char *name;   /**< lower-case C identifier, as processes ask for it */
    char *driver; /**< which driver fits it (lan9118, cmsdk-timer...) */
    uint32_t base, size;
    uint32_t clock_hz; /**< the clock it counts or shifts with; default: the board's clock_hz */
    /** A UART's QEMU serial port (-serial order), which `cmrx run` offers on
     * a TCP port of 127.0.0.1; BSP_NO_QEMU_SERIAL when it has none. */
    uint32_t qemu_serial;
    uint32_t irqs[BSP_MAX_PERIPH_IRQS];
    size_t n_irqs;
    uint32_t reserved[BSP_MAX_PERIPH_RESERVED]; /**< its lines (pins) the board uses itself */
    size_t n_reserved;
    unsigned long line; /**< in bsp.yaml, for messages */
};

struct bsp {
    char *name;
    char *version;
    char *description;
    char *cpu;
    char *fpu;
    enum mpu_arch mpu_arch;
    uint32_t mpu_regions;
    uint32_t irqs;
    uint32_t flash_base, flash_size;
    char *flash_driver; /* sram, board or a BSP file (flash_hw.h); NULL: none (no updates) */
    uint32_t flash_erase_size; /* its erase unit: slots and the commit log are made of it */
    uint32_t ram_base, ram_size;
    uint32_t clock_hz;
    char *console_driver;
    uint32_t console_base;
    uint32_t console_baud;
    uint32_t console_clock_hz; /* the UART's input clock; clock_hz if not given */
    uint32_t console_irqs[4];  /* the UART's interrupt lines, as its driver orders them */
    size_t n_console_irqs;
    char *shutdown;       /* "semihosting" or "reset" */
    char *qemu_machine;   /* NULL if not emulated */
    uint32_t qemu_serial; /* QEMU serial port (-serial order) wired to the console */
    /* qemu.storage: the machine's main RAM, which `cmrx run` backs with a
     * host image file so that it persists (the emulated flash of the
     * emuflash block device); size 0 when the board has none. */
    uint32_t qemu_storage_base, qemu_storage_size;
    char *pyocd_target; /* NULL if not flashable with pyOCD */
    /* storage: flash the file system may use, and its driver (flash_hw.h):
     * storage_driver is NULL when the board has none. */
    char *storage_driver; /* file in the BSP folder */
    uint32_t storage_base, storage_size;
    /* The flash controller's registers, which the driver process is granted;
     * size 0 (no `controller:`): the kernel programs the flash for it
     * (cmrx_flash_op(), the process right `flash`). */
    uint32_t storage_ctl_base, storage_ctl_size;
    char *sources[BSP_MAX_SOURCES];
    size_t n_sources;
    /* The boot header (`boot:`); boot_source is NULL when the board has none. */
    char *boot_source;    /* file in the BSP folder, linked at boot_run_at */
    uint32_t boot_size;   /* bytes at the start of flash, checksum included */
    uint32_t boot_run_at; /* where the boot ROM runs it; default: flash base */
    bool boot_run_at_given;
    enum boot_checksum boot_checksum; /* in the header's last bytes */
    struct bsp_peripheral peripherals[BSP_MAX_PERIPHERALS];
    size_t n_peripherals;
};

/**
 * Load and validate @p path. Every error names the file, the line and the
 * key, and says what is expected.
 * @return 0, or -1 with a message.
 */
int bsp_load(const char *path, struct bsp *out, struct err *e);

/** bsp_load() of file @p path, named @p shown in messages. */
int bsp_load_as(const char *path, const char *shown, struct bsp *out, struct err *e);

/** bsp_load() of the @p len bytes of @p text, named @p path in messages. */
int bsp_parse(const char *path, const char *text, size_t len, struct bsp *out, struct err *e);

/** Free what bsp_load() allocated. */
void bsp_free(struct bsp *b);

/** @return the peripheral called @p name, or NULL. */
const struct bsp_peripheral *bsp_peripheral(const struct bsp *b, const char *name);

/**
 * @return whether @p s can name a peripheral: [a-z][a-z0-9_]*, at most
 * BSP_PERIPH_NAME_MAX characters (it becomes part of C and CMake names).
 */
bool bsp_peripheral_name_valid(const char *s);

/**
 * @return whether @p b's slots are written by the kernel's "sram" flash
 * driver, for flash that is RAM (an emulated board's; QEMU keeps what it
 * writes). Other drivers write real flash, which QEMU emulates as ROM.
 */
bool bsp_flash_is_ram(const struct bsp *b);

/**
 * Write the CMake settings of the board (and the process arguments the
 * CMake SDK takes, from limits.h) to @p path. @return 0 or -1.
 */
int bsp_write_cmake(const struct bsp *b, const char *bsp_dir, const char *path, struct err *e);

/** Write the C header of the board's settings to @p path. @return 0 or -1. */
int bsp_write_header(const struct bsp *b, const char *path, struct err *e);

#endif
