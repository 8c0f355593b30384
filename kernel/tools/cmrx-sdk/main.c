/* cmrx-sdk: the host-side helper of the CMRX CMake SDK.
 *
 *   cmrx-sdk bsp BSP_DIR OUT.cmake OUT.h      validate bsp.yaml, emit build settings
 *   cmrx-sdk check LAYOUT.in                  check a firmware description (at configure time)
 *   cmrx-sdk gen LAYOUT.in DIR                process table, linker script, measuring layout
 *   cmrx-sdk layout LAYOUT.in MEASURE.elf DIR place process RAM on MPU boundaries
 *   cmrx-sdk report LAYOUT.in FINAL.elf [JSON] memory table of the linked image
 *   cmrx-sdk seal FINAL.elf PROCESS SLOT.raw OUT.img
 *                                             seal an updatable process's image
 *   cmrx-sdk exports FIRMWARE.elf NEW.elf PROCESS
 *                                             a new version keeps the CMRX_SERVICE objects
 *   cmrx-sdk boot CODE.bin SIZE CHECKSUM SOURCE OUT.bin OUT.S
 *                                             the board's boot header, checksummed
 *   cmrx-sdk qemu [--icount] [--trace LOG] [--console-null] [--image FILE] [--net]
 *                 [--forward P]... [--print] BSP_DIR ELF [ARG...]
 *                                             boot ELF in QEMU as `cmrx run` does
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "boot.h"
#include "bsp.h"
#include "elf32.h"
#include "exports.h"
#include "firmware.h"
#include "fsutil.h"
#include "gen.h"
#include "image.h"
#include "plan.h"
#include "qemu.h"
#include "report.h"

static int usage(void)
{
    fputs("usage: cmrx-sdk bsp BSP_DIR OUT.cmake OUT.h\n"
          "       cmrx-sdk check LAYOUT.in\n"
          "       cmrx-sdk gen LAYOUT.in DIR\n"
          "       cmrx-sdk layout LAYOUT.in MEASURE.elf DIR\n"
          "       cmrx-sdk report LAYOUT.in FINAL.elf [OUT.json]\n"
          "       cmrx-sdk seal FINAL.elf PROCESS SLOT.raw OUT.img\n"
          "       cmrx-sdk exports FIRMWARE.elf NEW.elf PROCESS\n"
          "       cmrx-sdk boot CODE.bin SIZE CHECKSUM SOURCE OUT.bin OUT.S\n"
          "       cmrx-sdk qemu [--icount] [--trace LOG] [--console-null] [--image FILE] [--net] "
          "[--forward tcp:HOST:BOARD]... [--print] BSP_DIR ELF [ARG...]\n",
          stderr);
    return 2;
}

static int cmd_bsp(char **argv, struct err *e)
{
    struct bsp b;
    char *path = path_join(argv[2], "bsp.yaml");
    int rc = bsp_load(path, &b, e);
    free(path);
    if (rc == 0) {
        rc = bsp_write_cmake(&b, argv[2], argv[3], e) || bsp_write_header(&b, argv[4], e);
        bsp_free(&b);
    }
    return rc;
}

/* SIZE and CHECKSUM come from bsp.yaml, already validated by `cmrx-sdk bsp`. */
static int cmd_boot(char **argv, struct err *e)
{
    char *end;
    unsigned long size = strtoul(argv[3], &end, 0);
    enum boot_checksum c;
    if (*end != '\0' || size < 8 || size > BOOT_MAX_SIZE || size % 4 != 0 ||
        boot_checksum_parse(argv[4], &c) != 0) {
        return err_set(e,
                       "boot: SIZE must be a multiple of 4 from 8 to %u and CHECKSUM none or "
                       "crc32-mpeg2",
                       BOOT_MAX_SIZE);
    }
    return boot_write(argv[2], (uint32_t)size, c, argv[5], argv[6], argv[7], e);
}

/* Boot an ELF on a board's QEMU machine with the command line cmrx run
 * uses (qemu.h): for the QEMU tests, the benchmarks and the profiler. */
static int cmd_qemu(int argc, char **argv, struct err *e)
{
    struct qemu_opts o = {0};
    bool print = false, net = false;
    char *forwards[16];
    int i = 2;
    for (; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
        if (strcmp(argv[i], "--icount") == 0) {
            o.icount = true;
        } else if (strcmp(argv[i], "--trace") == 0 && i + 1 < argc) {
            o.trace = argv[++i];
        } else if (strcmp(argv[i], "--image") == 0 && i + 1 < argc) {
            o.image = argv[++i];
        } else if (strcmp(argv[i], "--console-null") == 0) {
            o.console_null = true;
        } else if (strcmp(argv[i], "--print") == 0) {
            print = true;
        } else if (strcmp(argv[i], "--net") == 0) {
            net = true;
        } else if (strcmp(argv[i], "--forward") == 0 && i + 1 < argc) {
            bool udp;
            unsigned host, board;
            if (qemu_forward_parse(argv[++i], &udp, &host, &board) != 0 || host == 0) {
                return err_set(e,
                               "qemu: --forward takes tcp:HOST:BOARD or udp:HOST:BOARD with "
                               "ports 1..65535, not '%s'",
                               argv[i]);
            }
            if (o.n_forwards == sizeof(forwards) / sizeof(forwards[0])) {
                return err_set(e, "qemu: at most %zu --forward", o.n_forwards);
            }
            forwards[o.n_forwards++] = argv[i];
            net = true;
        } else {
            return err_set(e, "qemu: unknown option '%s'", argv[i]);
        }
    }
    if (argc - i < 2) {
        return err_set(e, "qemu: give the board's folder and the ELF to boot");
    }
    struct bsp b;
    char *path = path_join(argv[i], "bsp.yaml");
    int rc = bsp_load(path, &b, e);
    free(path);
    if (rc == 0 && b.qemu_machine == NULL) {
        rc = err_set(e, "board %s has no QEMU machine (bsp.yaml qemu:)", b.name);
    }
    struct argv a = {0};
    if (rc == 0) {
        o.machine = b.qemu_machine;
        o.serial = b.qemu_serial;
        o.elf = argv[i + 1];
        o.extra = argv + i + 2;
        o.forwards = forwards;
        o.image_size = b.qemu_storage_size;
        const struct bsp_peripheral *nic;
        if (net && (o.nic = qemu_nic(&b, &nic)) == NULL) {
            rc = err_set(e, "board %s has no network card QEMU models (bsp.yaml peripherals)",
                         b.name);
        } else if (o.image != NULL && b.qemu_storage_size == 0) {
            rc = err_set(e, "board %s has no storage to back with an image (bsp.yaml qemu.storage)",
                         b.name);
        } else if (o.image != NULL) {
            rc = qemu_image_prepare(o.image, o.image_size, e);
        }
        if (rc == 0) {
            qemu_command(&o, &a);
        }
        bsp_free(&b);
    }
    for (size_t k = 0; rc == 0 && print && k < a.n; k++) {
        printf("%s%s", a.v[k], k + 1 < a.n ? " " : "\n");
    }
    if (rc == 0 && !print) {
        fflush(stdout);
        execvp(a.v[0], a.v);
        rc = err_set(e, "cannot start %s: %s", a.v[0], strerror(errno));
        err_hint(e, "install Debian's qemu-system-arm (scripts/setup.sh does)");
    }
    argv_free(&a);
    return rc;
}

/* The commands that read a firmware description; those given an ELF plan it. */
static int with_firmware(int argc, char **argv, struct err *e)
{
    struct firmware fw;
    struct elf_file elf = {0};
    struct plan plan;
    const char *cmd = argv[1];
    if (fw_parse(argv[2], &fw, e) != 0) {
        return -1;
    }
    int rc;
    if (strcmp(cmd, "check") == 0) {
        rc = gen_check(&fw, e);
    } else if (strcmp(cmd, "gen") == 0) {
        rc = gen_firmware(&fw, argv[3], e);
    } else if ((rc = elf_read(argv[3], &elf, e)) == 0 &&
               (rc = plan_build(&fw, &elf, &plan, e)) == 0) {
        rc = strcmp(cmd, "layout") == 0
                 ? gen_final_layout(&fw, &plan, argv[4], e)
                 : report_firmware(stdout, &fw, &elf, &plan, argc > 4 ? argv[4] : NULL, e);
        plan_free(&plan);
    }
    elf_free(&elf);
    fw_free(&fw);
    return rc;
}

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        int min, max; /* argc */
    } cmds[] = {{"bsp", 5, 5},     {"check", 3, 3},  {"gen", 4, 4},
                {"layout", 5, 5},  {"report", 4, 5}, {"boot", 8, 8},
                {"qemu", 4, 1000}, {"seal", 6, 6},   {"exports", 5, 5}};
    struct err e = {0};
    size_t i = 0;
    while (argc >= 2 && i < sizeof(cmds) / sizeof(cmds[0]) &&
           !(strcmp(argv[1], cmds[i].name) == 0 && argc >= cmds[i].min && argc <= cmds[i].max)) {
        i++;
    }
    if (argc < 2 || i == sizeof(cmds) / sizeof(cmds[0])) {
        return usage();
    }
    int rc = strcmp(argv[1], "bsp") == 0       ? cmd_bsp(argv, &e)
             : strcmp(argv[1], "boot") == 0    ? cmd_boot(argv, &e)
             : strcmp(argv[1], "qemu") == 0    ? cmd_qemu(argc, argv, &e)
             : strcmp(argv[1], "seal") == 0    ? image_seal(argv[2], argv[3], argv[4], argv[5], &e)
             : strcmp(argv[1], "exports") == 0 ? exports_check(argv[2], argv[3], argv[4], &e)
                                               : with_firmware(argc, argv, &e);
    if (rc != 0) {
        fprintf(stderr, "cmrx: error: %s\n", e.msg);
        if (e.hint[0] != '\0') {
            fprintf(stderr, "hint: %s\n", e.hint);
        }
        return 1;
    }
    return 0;
}
