/* cmrx-sdk: the host-side helper of the CMRX CMake SDK.
 *
 *   cmrx-sdk bsp BSP_DIR OUT.cmake OUT.h      validate bsp.yaml, emit build settings
 *   cmrx-sdk gen LAYOUT.in DIR                process table, linker script, measuring layout
 *   cmrx-sdk layout LAYOUT.in MEASURE.elf DIR place process RAM on MPU boundaries
 *   cmrx-sdk report LAYOUT.in FINAL.elf [JSON] memory table of the linked image
 *   cmrx-sdk boot CODE.bin SIZE CHECKSUM SOURCE OUT.bin OUT.S
 *                                             the board's boot header, checksummed
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boot.h"
#include "bsp.h"
#include "elf32.h"
#include "firmware.h"
#include "gen.h"
#include "plan.h"
#include "report.h"

static int usage(void)
{
    fputs("usage: cmrx-sdk bsp BSP_DIR OUT.cmake OUT.h\n"
          "       cmrx-sdk gen LAYOUT.in DIR\n"
          "       cmrx-sdk layout LAYOUT.in MEASURE.elf DIR\n"
          "       cmrx-sdk report LAYOUT.in FINAL.elf [OUT.json]\n"
          "       cmrx-sdk boot CODE.bin SIZE CHECKSUM SOURCE OUT.bin OUT.S\n",
          stderr);
    return 2;
}

static int cmd_bsp(int argc, char **argv, char *err, size_t errlen)
{
    if (argc != 5) {
        return usage();
    }
    char path[4096];
    struct bsp b;
    snprintf(path, sizeof(path), "%s/bsp.yaml", argv[2]);
    if (bsp_load(path, &b, err, errlen) != 0) {
        return 1;
    }
    int rc = bsp_write_cmake(&b, argv[2], argv[3], err, errlen) != 0 ||
             bsp_write_header(&b, argv[4], err, errlen) != 0;
    bsp_free(&b);
    return rc;
}

/* SIZE and CHECKSUM come from bsp.yaml, already validated by `cmrx-sdk bsp`. */
static int cmd_boot(char **argv, char *err, size_t errlen)
{
    char *end;
    unsigned long size = strtoul(argv[3], &end, 0);
    enum boot_checksum c;
    if (*end != '\0' || size < 8 || size > BOOT_MAX_SIZE || size % 4 != 0 ||
        boot_checksum_parse(argv[4], &c) != 0) {
        return usage();
    }
    return boot_write(argv[2], (uint32_t)size, c, argv[5], argv[6], argv[7], err, errlen) != 0;
}

static int with_plan(int argc, char **argv, char *err, size_t errlen)
{
    struct firmware fw;
    struct elf_file elf;
    struct plan plan;
    int rc = 1;
    if (fw_parse(argv[2], &fw, err, errlen) != 0) {
        return 1;
    }
    if (elf_read(argv[3], &elf, err, errlen) != 0) {
        fw_free(&fw);
        return 1;
    }
    if (plan_build(&fw, &elf, &plan, err, errlen) == 0) {
        if (strcmp(argv[1], "layout") == 0) {
            rc = gen_final_layout(&fw, &plan, argv[4], err, errlen) != 0;
        } else {
            rc = report_firmware(stdout, &fw, &elf, &plan, argc > 4 ? argv[4] : NULL, err,
                                 errlen) != 0;
        }
        plan_free(&plan);
    }
    elf_free(&elf);
    fw_free(&fw);
    return rc;
}

int main(int argc, char **argv)
{
    char err[1024] = "";
    int rc;
    if (argc < 2) {
        return usage();
    }
    if (strcmp(argv[1], "bsp") == 0) {
        rc = cmd_bsp(argc, argv, err, sizeof(err));
    } else if (strcmp(argv[1], "gen") == 0 && argc == 4) {
        struct firmware fw;
        rc = 1;
        if (fw_parse(argv[2], &fw, err, sizeof(err)) == 0) {
            rc = gen_firmware(&fw, argv[3], err, sizeof(err)) != 0;
            fw_free(&fw);
        }
    } else if (strcmp(argv[1], "boot") == 0 && argc == 8) {
        rc = cmd_boot(argv, err, sizeof(err));
    } else if ((strcmp(argv[1], "layout") == 0 && argc == 5) ||
               (strcmp(argv[1], "report") == 0 && (argc == 4 || argc == 5))) {
        rc = with_plan(argc, argv, err, sizeof(err));
    } else {
        return usage();
    }
    if (rc == 1 && err[0]) {
        fprintf(stderr, "cmrx: error: %s\n", err);
    }
    return rc;
}
