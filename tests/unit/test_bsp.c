/* bsp.yaml validation: good manifests load, bad ones name file, line, key. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "bsp.h"

static const char good[] = "name: test-board\n"
                           "version: 1.2.3\n"
                           "description: A board for tests\n"
                           "cpu: cortex-m4\n"
                           "fpu: fpv4-sp\n"
                           "mpu: { arch: armv7m, regions: 8 }\n"
                           "irqs: 48\n"
                           "memory:\n"
                           "  flash: { base: 0x08000000, size: 1M }\n"
                           "  ram: { base: 0x20000000, size: 128K }\n"
                           "clock_hz: 16000000\n"
                           "console: { driver: stm32-usart, base: 0x40011000 }\n"
                           "shutdown: reset\n"
                           "pyocd: { target: stm32f405rg }\n"
                           "sources: [board.c]\n";

static char path[256];

static int load(const char *text, struct bsp *b, struct err *err)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return bsp_load(path, b, err);
}

/* Replace the first occurrence of `from` in the good manifest. */
static char *variant(const char *from, const char *to)
{
    static char buf[2048];
    const char *at = strstr(good, from);
    assert_non_null(at);
    snprintf(buf, sizeof(buf), "%.*s%s%s", (int)(at - good), good, to, at + strlen(from));
    return buf;
}

static void good_manifest_loads(void **state)
{
    (void)state;
    struct bsp b;
    struct err err = {0};
    assert_int_equal(load(good, &b, &err), 0);
    assert_string_equal(b.name, "test-board");
    assert_string_equal(b.cpu, "cortex-m4");
    assert_int_equal(b.mpu_arch, MPU_ARMV7M);
    assert_int_equal(b.flash_base, 0x08000000);
    assert_int_equal(b.flash_size, 1024 * 1024);
    assert_int_equal(b.ram_size, 128 * 1024);
    assert_int_equal(b.console_baud, 115200);       /* default */
    assert_int_equal(b.console_clock_hz, 16000000); /* default: clock_hz */
    assert_int_equal(b.qemu_serial, 0);             /* default */
    assert_string_equal(b.pyocd_target, "stm32f405rg");
    assert_null(b.qemu_machine);
    assert_int_equal(b.n_sources, 1);
    bsp_free(&b);
}

static void console_clock_and_qemu_serial_load(void **state)
{
    (void)state;
    struct bsp b;
    struct err err = {0};
    const char *text = variant("console: { driver: stm32-usart, base: 0x40011000 }\n",
                               "console: { driver: stm32-usart, base: 0x40011400, "
                               "clock_hz: 84000000, baud: 9600 }\n"
                               "qemu: { machine: netduinoplus2, serial: 5 }\n");
    assert_int_equal(load(text, &b, &err), 0);
    assert_int_equal(b.console_clock_hz, 84000000);
    assert_int_equal(b.console_baud, 9600);
    assert_string_equal(b.qemu_machine, "netduinoplus2");
    assert_int_equal(b.qemu_serial, 5);
    bsp_free(&b);
}

static void expect_error(const char *text, const char *needle)
{
    struct bsp b;
    struct err err = {0};
    assert_int_equal(load(text, &b, &err), -1);
    if (strstr(err.msg, needle) == NULL) {
        fail_msg("error '%s' does not mention '%s'", err.msg, needle);
    }
    assert_non_null(strstr(err.msg, path));
}

static void bad_manifests_name_the_problem(void **state)
{
    (void)state;
    expect_error(variant("irqs: 48", "irqz: 48"), "unknown key 'irqz'");
    expect_error(variant("irqs: 48", "irqs: many"), "'irqs' must be a number");
    /* Numbers whose multiplied value does not fit are refused, not wrapped. */
    expect_error(variant("size: 1M", "size: 17592186044417M"),
                 "'memory.flash.size' must be a number (decimal, 0x hex, K/M suffix), not "
                 "'17592186044417M'");
    expect_error(variant("clock_hz: 16000000", "clock_hz: 18014398509506984K"),
                 "'clock_hz' must be a number");
    expect_error(variant("cpu: cortex-m4", "cpu: cortex-m99"), "unknown cpu 'cortex-m99'");
    expect_error(variant("fpu: fpv4-sp", "fpu: fpv5-dp"), "fpu 'fpv5-dp' is not available");
    expect_error(variant("arch: armv7m", "arch: armv8m"), "does not match cpu");
    expect_error(variant("  ram: { base: 0x20000000, size: 128K }\n", ""),
                 "missing key 'memory.ram'");
    expect_error(variant("size: 1M", "size: 1M, speed: 3"), "unknown key 'memory.flash.speed'");
    expect_error(variant("shutdown: reset", "shutdown: explode"), "shutdown must be");
    expect_error(variant("sources: [board.c]", "sources: [../escape.c]"), "inside the BSP folder");
    expect_error(variant("mpu: { arch: armv7m, regions: 8 }", "mpu: [1, 2]"),
                 "'mpu' must be a mapping");
    expect_error("name: [unclosed\n", "invalid YAML");
    expect_error(variant("base: 0x40011000 }", "base: 0x40011000, clock: 1 }"),
                 "unknown key 'console.clock'");
    expect_error(variant("base: 0x40011000 }", "base: 0x40011000, clock_hz: 1M }"),
                 "console.clock_hz 1048576 is too slow for console.baud 115200");
    expect_error(variant("driver: stm32-usart", "driver: stm32-uart"),
                 "console.driver 'stm32-uart' is unknown");
    expect_error(variant("pyocd: { target: stm32f405rg }", "qemu: { machine: x, serial: 16 }"),
                 "qemu.serial must be 0..15");
    expect_error(variant("pyocd: { target: stm32f405rg }", "qemu: { machine: x, serial: one }"),
                 "'qemu.serial' must be a number");
}

/* Values that would be code in the generated CMake or C: refused, and the
 * file names written to CMake quoted, so that none closes its string. */
static void values_cannot_become_code(void **state)
{
    (void)state;
    expect_error(variant("version: 1.2.3", "version: \"1\\\")\\nexecute_process(COMMAND x)#\""),
                 "'version' is '1\")\nexecute_process(COMMAND x)#'");
    expect_error(variant("name: test-board", "name: \"x */ int y; /*\""),
                 "'name' is 'x */ int y; /*'; board names are package names");
    expect_error(variant("target: stm32f405rg", "target: \"s${X}\""), "'pyocd.target' is 's${X}'");
    struct bsp b;
    struct err err = {0};
    /* A CMake list separator or expression in a file name is refused;
     * a quote is written quoted. */
    expect_error(variant("sources: [board.c]", "sources: ['board.c;/etc/passwd']"),
                 "'board.c;/etc/passwd' holds a ';', '$' or line break");
    expect_error(variant("sources: [board.c]", "sources: ['$<1:.>$<1:.>/x.c']"),
                 "holds a ';', '$' or line break");
    assert_int_equal(load(variant("sources: [board.c]", "sources: ['a\"b.c']"), &b, &err), 0);
    char out[300];
    snprintf(out, sizeof(out), "%s.cmake", path);
    assert_int_equal(bsp_write_cmake(&b, "d$\"ir", out, &err), 0);
    bsp_free(&b);
    FILE *f = fopen(out, "r");
    assert_non_null(f);
    char text[8192];
    size_t n = fread(text, 1, sizeof(text) - 1, f);
    text[n] = '\0';
    fclose(f);
    remove(out);
    assert_non_null(strstr(text, "set(CMRX_BSP_SOURCES \"d\\$\\\"ir/a\\\"b.c\")\n"));
}

/* Storage: the emulated board's image memory (qemu.storage) and a real
 * board's flash for the file system (storage:), with their errors. */
static void storage_loads_and_is_checked(void **state)
{
    (void)state;
    struct bsp b;
    struct err err = {0};
    assert_int_equal(load(good, &b, &err), 0);
    assert_null(b.storage_driver);
    assert_int_equal(b.qemu_storage_size, 0);
    bsp_free(&b);
    const char *text = variant("sources: [board.c]\n",
                               "sources: [board.c]\n"
                               "qemu: { machine: m, storage: { base: 0x21000000, size: 16M } }\n"
                               "storage: { driver: flash_hw.c, base: 0x08100000, size: 256K,\n"
                               "  controller: { base: 0x40022000, size: 0x400 } }\n");
    assert_int_equal(load(text, &b, &err), 0);
    assert_int_equal(b.qemu_storage_base, 0x21000000);
    assert_int_equal(b.qemu_storage_size, 16u << 20);
    assert_string_equal(b.storage_driver, "flash_hw.c");
    assert_int_equal(b.storage_base, 0x08100000);
    assert_int_equal(b.storage_size, 256u << 10);
    assert_int_equal(b.storage_ctl_base, 0x40022000);
    bsp_free(&b);
    expect_error(variant("sources: [board.c]\n", "sources: [board.c]\nqemu: { machine: m, "
                                                 "storage: { base: 0x21000000, size: 100 } }\n"),
                 "qemu.storage must lie below 4 GiB and be a whole number of 4 KiB");
    expect_error(variant("sources: [board.c]\n", "sources: [board.c]\nqemu: { machine: m, "
                                                 "storage: { base: 0x21000000 } }\n"),
                 "missing key 'qemu.storage.size'");
    expect_error(variant("sources: [board.c]\n",
                         "sources: [board.c]\nstorage: { driver: flash_hw.c, base: 0x080C0000, "
                         "size: 256K, controller: { base: 0x40022000, size: 0x400 } }\n"),
                 "storage (0x080c0000, 262144 bytes) overlaps memory.flash");
    expect_error(variant("sources: [board.c]\n",
                         "sources: [board.c]\nstorage: { driver: ../x.c, base: 0x08100000, "
                         "size: 256K, controller: { base: 0x40022000, size: 0x400 } }\n"),
                 "'storage.driver' must be a file name inside the BSP folder");
    expect_error(variant("sources: [board.c]\n",
                         "sources: [board.c]\nstorage: { driver: f.c, base: 0x08100000, "
                         "size: 256K, controller: { base: 0x40022000 } }\n"),
                 "missing key 'storage.controller.size'");
    /* No controller: the kernel programs this flash for the driver. */
    assert_int_equal(load(variant("sources: [board.c]\n",
                                  "sources: [board.c]\nstorage: { driver: f.c, base: 0x08100000, "
                                  "size: 256K }\n"),
                          &b, &err),
                     0);
    assert_string_equal(b.storage_driver, "f.c");
    assert_int_equal(b.storage_ctl_size, 0);
    bsp_free(&b);
}

/* The good manifest with a boot header: `boot` holds the keys of boot:. */
static char *with_boot(const char *boot)
{
    static char line[256];
    snprintf(line, sizeof(line), "sources: [board.c]\nboot: { %s }\n", boot);
    return variant("sources: [board.c]\n", line);
}

static void boot_header_loads(void **state)
{
    (void)state;
    struct bsp b;
    struct err err = {0};
    assert_int_equal(load(good, &b, &err), 0);
    assert_null(b.boot_source); /* optional */
    assert_int_equal(b.boot_size, 0);
    bsp_free(&b);

    assert_int_equal(load(with_boot("source: boot.S, size: 256, checksum: crc32-mpeg2"), &b, &err),
                     0);
    assert_string_equal(b.boot_source, "boot.S");
    assert_int_equal(b.boot_size, 256);
    assert_int_equal(b.boot_run_at, 0x08000000); /* default: where it sits */
    assert_int_equal(b.boot_checksum, BOOT_CHECKSUM_CRC32_MPEG2);
    bsp_free(&b);

    assert_int_equal(load(with_boot("source: boot2.S, size: 0x200, run_at: 0x20041f00"), &b, &err),
                     0);
    assert_int_equal(b.boot_run_at, 0x20041f00);
    assert_int_equal(b.boot_size, 512);
    assert_int_equal(b.boot_checksum, BOOT_CHECKSUM_NONE); /* default */
    bsp_free(&b);
}

static void bad_boot_headers_name_the_key(void **state)
{
    (void)state;
    expect_error(with_boot("source: boot.S, size: 256, crc: yes"), "unknown key 'boot.crc'");
    expect_error(with_boot("size: 256"), "missing key 'boot.source'");
    expect_error(with_boot("source: boot.S"), "missing key 'boot.size'");
    expect_error(with_boot("source: ../boot.S, size: 256"), "'boot.source' must be a file name");
    expect_error(with_boot("source: boot.S, size: 256, checksum: crc16"),
                 "'boot.checksum' must be none or crc32-mpeg2");
    expect_error(with_boot("source: boot.S, size: 258"), "'boot.size' must be a multiple of 4");
    expect_error(with_boot("source: boot.S, size: 4, checksum: crc32-mpeg2"),
                 "'boot.size' must be a multiple of 4 from 8");
    expect_error(with_boot("source: boot.S, size: 1M"), "to 65536 bytes, not 1048576");
    expect_error(with_boot("source: boot.S, size: 0x100, run_at: soon"),
                 "'boot.run_at' must be a number");
    /* 64 vectors on ARMv7-M need a 256-byte boundary: 0x08000080 is none. */
    expect_error(with_boot("source: boot.S, size: 128"),
                 "'boot.size' 128 puts the vector table at 0x08000080, but VTOR needs a 256-byte "
                 "boundary");
    expect_error(variant("base: 0x08000000", "base: 0x08000080"),
                 "memory.flash.base 0x08000080 cannot start with the vector table");
}

static void line_numbers_point_at_the_key(void **state)
{
    (void)state;
    struct bsp b;
    struct err err = {0};
    assert_int_equal(load(variant("clock_hz: 16000000", "clock_hz: fast"), &b, &err), -1);
    char where[300];
    snprintf(where, sizeof(where), "%s:11:", path); /* clock_hz is line 11 */
    assert_non_null(strstr(err.msg, where));
    /* Found once the whole file is read, still at its key: boot is line 16. */
    assert_int_equal(load(with_boot("source: boot.S, size: 128"), &b, &err), -1);
    snprintf(where, sizeof(where), "%s:16:", path);
    assert_non_null(strstr(err.msg, where));
}

/* The good manifest with `peripherals:` holding @p entries (one per line). */
static char *with_peripherals(const char *entries)
{
    static char text[1024];
    snprintf(text, sizeof(text), "sources: [board.c]\nperipherals:\n%s", entries);
    return variant("sources: [board.c]\n", text);
}

static void peripherals_load(void **state)
{
    (void)state;
    struct bsp b;
    struct err err = {0};
    assert_int_equal(load(good, &b, &err), 0);
    assert_int_equal(b.n_peripherals, 0); /* optional */
    bsp_free(&b);
    assert_int_equal(load(with_peripherals("  eth0: { driver: lan9118, base: 0x40200000, "
                                           "size: 0x100, irq: 13 }\n"
                                           "  uart1: { driver: stm32-usart, base: 0x40004400, "
                                           "size: 1K, irqs: [38, 39] }\n"
                                           "  rng: { driver: stm32-rng, base: 0x50060800, "
                                           "size: 0x400 }\n"),
                          &b, &err),
                     0);
    assert_int_equal(b.n_peripherals, 3);
    const struct bsp_peripheral *p = bsp_peripheral(&b, "eth0");
    assert_non_null(p);
    assert_string_equal(p->driver, "lan9118");
    assert_int_equal(p->base, 0x40200000);
    assert_int_equal(p->size, 0x100);
    assert_int_equal(p->n_irqs, 1);
    assert_int_equal(p->irqs[0], 13);
    p = bsp_peripheral(&b, "uart1");
    assert_int_equal(p->size, 1024);
    assert_int_equal(p->n_irqs, 2);
    assert_int_equal(p->irqs[1], 39);
    assert_int_equal(bsp_peripheral(&b, "rng")->n_irqs, 0);
    assert_int_equal(bsp_peripheral(&b, "rng")->qemu_serial, BSP_NO_QEMU_SERIAL); /* default */
    assert_null(bsp_peripheral(&b, "eth1"));
    bsp_free(&b);
}

/* A UART QEMU models besides the console: its serial port (cmrx run offers
 * it on a local TCP port), never the console's, nor another's, and only on
 * an emulated board. */
static void peripheral_qemu_serial(void **state)
{
    (void)state;
    struct bsp b;
    struct err err = {0};
    static char text[2048];
    const char *qemu = "shutdown: reset\nqemu: { machine: netduinoplus2 }\n";
    snprintf(text, sizeof(text), "%s",
             with_peripherals("  uart1: { driver: x, base: 0x40004400, size: 1K, qemu_serial: 2 }\n"
                              "  uart2: { driver: x, base: 0x40004800, size: 1K, qemu_serial: 3 }\n"));
    char *at = strstr(text, "shutdown: reset\n");
    char both[2048];
    snprintf(both, sizeof(both), "%.*s%s%s", (int)(at - text), text, qemu,
             at + strlen("shutdown: reset\n"));
    assert_int_equal(load(both, &b, &err), 0);
    assert_int_equal(bsp_peripheral(&b, "uart1")->qemu_serial, 2);
    assert_int_equal(bsp_peripheral(&b, "uart2")->qemu_serial, 3);
    bsp_free(&b);
    /* Not emulated: nothing to wire it to. */
    expect_error(with_peripherals("  uart1: { driver: x, base: 0x40004400, size: 1K, "
                                  "qemu_serial: 1 }\n"),
                 "peripheral 'uart1': qemu_serial, but the board has no 'qemu' machine");
    char *p = strstr(both, "qemu_serial: 3");
    p[strlen("qemu_serial: ")] = '2';
    expect_error(both, "peripherals 'uart1' and 'uart2' have the same qemu_serial 2");
    p[strlen("qemu_serial: ")] = '0';
    expect_error(both, "peripheral 'uart2': QEMU serial port 0 is the console's (qemu.serial)");
    p[strlen("qemu_serial: ")] = '9';
    p[strlen("qemu_serial: ") + 1] = '9';
    expect_error(both, "qemu_serial");
}

static void bad_peripherals_name_the_key(void **state)
{
    (void)state;
    expect_error(with_peripherals("  eth0: { driver: lan9118, base: 0x40200000 }\n"),
                 "missing key 'peripherals.eth0.size'");
    expect_error(with_peripherals("  eth0: { base: 0x40200000, size: 0x100 }\n"),
                 "missing key 'peripherals.eth0.driver'");
    expect_error(with_peripherals("  eth0: { driver: x, base: 0x40200000, size: 0x100, "
                                  "speed: 9 }\n"),
                 "unknown key 'peripherals.eth0.speed'");
    expect_error(with_peripherals("  Eth0: { driver: x, base: 0x40200000, size: 0x100 }\n"),
                 "peripheral name 'Eth0' must be a lower-case C identifier");
    expect_error(with_peripherals("  eth0: { driver: x, base: 0x40200000, size: 0x100 }\n"
                                  "  eth0: { driver: x, base: 0x40300000, size: 0x100 }\n"),
                 "peripheral 'eth0' appears twice");
    expect_error(with_peripherals("  eth0: { driver: \"a;b\", base: 0x40200000, size: 0x100 }\n"),
                 "'peripherals.eth0.driver' is 'a;b'; it must be lower-case letters");
    expect_error(with_peripherals("  eth0: { driver: x, base: 0x40200000, size: 0x100, "
                                  "irq: 48 }\n"),
                 "peripheral 'eth0': interrupt 48 is beyond the board's 48 (irqs)");
    expect_error(with_peripherals("  eth0: { driver: x, base: 0x40200000, size: 0x100, "
                                  "irq: 1, irqs: [2] }\n"),
                 "give 'irq' or 'irqs', not both");
    expect_error(with_peripherals("  eth0: { driver: x, base: 0x20000000, size: 0x100 }\n"),
                 "peripheral 'eth0' (0x20000000+0x100) overlaps the board's RAM");
    expect_error(with_peripherals("  a: { driver: x, base: 0x40000000, size: 0x1000 }\n"
                                  "  b: { driver: x, base: 0x40000800, size: 0x800 }\n"),
                 "peripherals 'a' and 'b' overlap");
    /* One MPU region each: ARMv7-M needs a power of two on its own boundary. */
    expect_error(with_peripherals("  eth0: { driver: x, base: 0x40200000, size: 0x180 }\n"),
                 "peripheral 'eth0': ");
    expect_error(with_peripherals("  - eth0\n"),
                 "'peripherals' must map peripheral names to {driver, base, size, irq}");
    /* The error points at the peripheral's own line (line 17 here). */
    struct bsp b;
    struct err err = {0};
    char where[300];
    assert_int_equal(load(with_peripherals("  a: { driver: x, base: 0x40000000, size: 0x100 }\n"
                                           "  b: { driver: x, base: 0x40000000, size: 0x100 }\n"),
                          &b, &err),
                     -1);
    snprintf(where, sizeof(where), "%s:18:", path);
    if (strstr(err.msg, where) == NULL) {
        fail_msg("'%s' does not point at line 18", err.msg);
    }
}

int main(void)
{
    snprintf(path, sizeof(path), "/tmp/cmrx-test-bsp-%d.yaml", (int)getpid());
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(good_manifest_loads),
        cmocka_unit_test(console_clock_and_qemu_serial_load),
        cmocka_unit_test(peripheral_qemu_serial),
        cmocka_unit_test(storage_loads_and_is_checked),
        cmocka_unit_test(bad_manifests_name_the_problem),
        cmocka_unit_test(values_cannot_become_code),
        cmocka_unit_test(boot_header_loads),
        cmocka_unit_test(bad_boot_headers_name_the_key),
        cmocka_unit_test(line_numbers_point_at_the_key),
        cmocka_unit_test(peripherals_load),
        cmocka_unit_test(bad_peripherals_name_the_key),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    remove(path);
    return rc;
}
