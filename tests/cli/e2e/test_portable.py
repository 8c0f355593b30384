"""One project on many boards (issue 13, point 2): the newcomer's
four-process sensor product — a timer-driven sensor driver, a filter
service, a logger on uart-console, and the supervisor — made once and run
unchanged on the five emulated boards; per-board overrides in cmrx.yaml;
`cmrx add` warning about a board that lacks what a package needs; and the
bad input of peripherals (one the board does not have, two processes asking
for one), the project byte-identical after each."""
import json
import os
import unittest

from harness import WorldTest, snapshot, tree, write

BUILD = 600  # seconds a command that builds may take on a busy machine
BOARDS = ["qemu-mps2-an385", "qemu-mps2-an386", "qemu-mps2-an500", "qemu-mps2-an505",
          "qemu-netduinoplus2"]

# The filter: a service that reads the sensor (the timer driver's count,
# by a nested RPC), keeps a moving average, and beats the supervisor.
FILTER = r"""/* filter: smooths the sensor's readings; a service of its own. */
#include <stdint.h>

#include <supervisor.h>

#include "filter.h"
#include "ticker.h"

#define WINDOW 4

static int window[WINDOW];
static unsigned count;

static int sample(struct filter *self)
{
    (void)self;
    int raw = cmrx_rpc_call(&ticker_service, periods);
    if (raw < 0) {
        return raw;
    }
    window[count++ % WINDOW] = raw;
    unsigned n = count < WINDOW ? count : WINDOW;
    int sum = 0;
    for (unsigned i = 0; i < n; i++) {
        sum += window[i];
    }
    return sum / (int)n;
}

CMRX_VTABLE(struct filter_vtable, filter_vtable) = {sample};
CMRX_EXPORT struct filter filter_service = {&filter_vtable};

static int heart(void *arg)
{
    (void)arg;
    if (supervisor_watch(200000, 3, 10000) != CMRX_OK) {
        return 1;
    }
    for (;;) {
        cmrx_usleep(20000);
        supervisor_beat();
    }
    return 0;
}

CMRX_THREAD(heart, NULL);
"""

FILTER_H = r"""#ifndef FILTER_H
#define FILTER_H

#include <cmrx/cmrx.h>

struct filter;

struct filter_vtable {
    /* The moving average of the sensor's last readings. */
    int (*sample)(struct filter *self);
};

struct filter {
    const struct filter_vtable *vtable;
};

extern struct filter filter_service;

#endif
"""

# The logger: prints on the console UART through uart-console, checks that
# the supervisor watches the filter, and ends the firmware.
LOGGER = r"""/* logger: writes the filtered readings to the console UART. */
#include <supervisor.h>
#include <uart_console.h>

#include "filter.h"

static int logger(void *arg)
{
    (void)arg;
    int last = -1;
    /* Five readings, and more until the sensor has counted (an emulated
     * timer runs slow on a busy host), for 10 s at most. */
    for (int i = 1; i <= 200 && (i <= 5 || last <= 0); i++) {
        cmrx_usleep(50000);
        int avg = cmrx_rpc_call(&filter_service, sample);
        if (avg < 0 || avg < last) {
            console_printf("logger: bad reading %d after %d\n", avg, last);
            cmrx_shutdown(1);
        }
        if (i <= 5) {
            console_printf("logger: reading %d: %d\n", i, avg);
        }
        last = avg;
    }
    struct supervisor_event ev;
    int watched = supervisor_event(1, &ev) == SUPERVISOR_ENOENT;
    console_printf("logger: %s, done on %s (%s)\n", watched ? "no failures" : "failures logged",
                   CMRX_BOARD, CMRX_BOARD_CPU);
    console_flush(1000000);
    cmrx_shutdown(watched && last > 0 ? 0 : 2);
    return 0;
}

CMRX_THREAD(logger, NULL);
"""


class Portable(WorldTest):
    def setUp(self):
        super().setUp()
        self.w.env.pop("CMRX_REGISTRY")  # the default: this SDK's registry

    def read(self, p, rel):
        with open(os.path.join(p, rel)) as f:
            return f.read()

    def product(self):
        """The newcomer's product, made the way a user makes it: the driver
        template (the sensor's timer driver), two components, two processes."""
        w = self.w
        self.ok(w.cmrx("new", "sensor", "--template", "driver", "--board", BOARDS[0]))
        p = os.path.join(w.root, "sensor")
        r = self.ok(w.cmrx("add", "uart-console", "supervisor", cwd=p))
        self.assertNotIn("warning", r.err)
        write(os.path.join(p, "src/filter.c"), FILTER)
        write(os.path.join(p, "src/filter.h"), FILTER_H)
        write(os.path.join(p, "src/logger.c"), LOGGER)
        os.remove(os.path.join(p, "src/app.c"))
        yaml = self.read(p, "cmrx.yaml")
        head, app = yaml.split("  # Uses the timer driver.\n")
        write(os.path.join(p, "cmrx.yaml"), head + """  # Smooths the sensor's readings (a service), watched by the supervisor.
  - name: filter
    sources: [src/filter.c]
    threads: 1
    priority: 8
    fault_policy: restart
  # Writes the readings to the console UART and ends the firmware.
  - name: logger
    sources: [src/logger.c]
    threads: 1
    priority: 16
    system: true
settings:
  supervisor: { max: 4 }
""")
        return p

    def test_one_product_runs_unchanged_on_five_boards(self):
        w = self.w
        p = self.product()
        sources = {k: v for k, v in tree(p).items()
                   if not k.startswith(("build", "packages", ".cmrx", "compile_commands"))}
        def project_files():
            # cmrx.yaml, cmrx.lock and packages/ (the builds add build/ and the editors' link).
            return {k: v for k, v in snapshot(p).items() if k != "/top"}

        before = project_files()
        for board in BOARDS:
            args = ["run", "--timeout", "120"] + (["--board", board] if board != BOARDS[0] else [])
            r = w.cmrx(*args, cwd=p, timeout=BUILD)
            self.assertEqual(r.code, 0, (board, r))
            self.assertIn("logger: reading 5: ", r.out, board)
            self.assertRegex(r.out, r"timer: timer0 \((cmsdk-timer|stm32-tim)\) at 0x[0-9a-f]{8}, "
                                    r"irq \d+\n", board)
            self.assertRegex(r.out, rf"logger: no failures, done on {board} \(cortex-m", board)
        # Not one edit: sources, cmrx.yaml, cmrx.lock and packages/ as they were.
        self.assertEqual(project_files(), before)
        self.assertEqual({k: v for k, v in tree(p).items()
                          if not k.startswith(("build", "packages", ".cmrx",
                                               "compile_commands"))}, sources)
        # Each board's own timer was used: STM32 TIM2 on the Netduino.
        r = w.cmrx("run", "--timeout", "120", "--board", "qemu-netduinoplus2", cwd=p,
                   timeout=BUILD)
        self.assertIn("timer: timer0 (stm32-tim) at 0x40000000, irq 28", r.out)

    def test_per_board_overrides_and_board_macros(self):
        w = self.w
        p = self.product()
        yaml = self.read(p, "cmrx.yaml")
        write(os.path.join(p, "cmrx.yaml"), yaml + """boards:
  qemu-netduinoplus2:
    defines: [SLOW_BOARD=1]
    processes:
      logger: { defines: [LOG_PREFIX=2], sources: [src/netduino_extra.c] }
""")
        write(os.path.join(p, "src/netduino_extra.c"),
              "#if SLOW_BOARD != 1 || LOG_PREFIX != 2\n#error overrides\n#endif\n"
              "int netduino_extra;\n")
        self.ok(w.cmrx("build", "--board", "qemu-netduinoplus2", cwd=p, timeout=BUILD))
        self.ok(w.cmrx("build", cwd=p, timeout=BUILD))
        with open(os.path.join(p, "compile_commands.json")) as f:
            commands = {os.path.basename(c["file"]): c["command"] for c in json.load(f)}
        # cmrx.yaml's board has none of the Netduino's overrides.
        self.assertNotIn("netduino_extra.c", commands)
        self.assertNotIn("SLOW_BOARD", commands["logger.c"])
        self.assertIn("-DCMRX_CPU_CORTEX_M3=1", commands["logger.c"])
        self.assertIn("-DCMRX_PERIPH_TIMER0_DRIVER_CMSDK_TIMER=1", commands["timer.c"])
        with open(os.path.join(p, "build/qemu-netduinoplus2/debug/compile_commands.json")) as f:
            commands = {os.path.basename(c["file"]): c["command"] for c in json.load(f)}
        self.assertIn("netduino_extra.c", commands)
        self.assertRegex(commands["logger.c"], r"-DLOG_PREFIX=2 .*-DSLOW_BOARD=1|"
                                               r"-DSLOW_BOARD=1 .*-DLOG_PREFIX=2")
        self.assertIn("-DSLOW_BOARD=1", commands["filter.c"])
        self.assertNotIn("LOG_PREFIX", commands["filter.c"])
        self.assertIn("-DCMRX_CPU_CORTEX_M4=1", commands["logger.c"])
        # A board or a process the overrides name that does not exist: the line says so.
        for bad, msg in (("  qemu-netduinoplus9:\n", "not a board of the registry"),
                         ("      loger:", "no process 'loger'")):
            text = self.read(p, "cmrx.yaml")
            good = text
            text = text.replace("  qemu-netduinoplus2:\n", bad) if "9" in bad else \
                text.replace("      logger:", bad)
            write(os.path.join(p, "cmrx.yaml"), text)
            self.fails(w.cmrx("build", cwd=p, timeout=BUILD), msg, "cmrx.yaml:")
            write(os.path.join(p, "cmrx.yaml"), good)

    def test_add_warns_about_a_board_without_what_the_package_needs(self):
        w = self.w
        self.ok(w.cmrx("new", "pico", "--template", "blank", "--board", "rp2040-pico"))
        p = os.path.join(w.root, "pico")
        r = self.ok(w.cmrx("add", "gpio", cwd=p))
        self.assertIn("warning: gpio 0.1.0 needs a peripheral driven by "
                      "mps2-fpgaio/stm32f4-gpio/nrf52-gpio, which board rp2040-pico does not "
                      "have: it will not build for rp2040-pico", r.err)
        self.assertIn("Adding gpio 0.1.0", r.err)
        # A board that has one: no warning.
        self.ok(w.cmrx("new", "nd", "--template", "blank", "--board", "qemu-netduinoplus2"))
        r = self.ok(w.cmrx("add", "gpio", cwd=os.path.join(w.root, "nd")))
        self.assertNotIn("warning", r.err)
        # A template that needs a timer0 is refused for a board without one.
        r = w.cmrx("new", "tick", "--template", "driver", "--board", "nrf52840-dk")
        self.fails(r, "template 'driver' needs peripheral 'timer0' driven by "
                      "cmsdk-timer/stm32-tim, which board nrf52840-dk does not have", code=2)
        self.assertFalse(os.path.exists(os.path.join(w.root, "tick")))

    def test_bad_peripherals_change_nothing(self):
        w = self.w
        self.ok(w.cmrx("new", "per", "--template", "driver", "--board", BOARDS[0]))
        p = os.path.join(w.root, "per")
        before = snapshot(p)
        yaml = self.read(p, "cmrx.yaml")
        # A peripheral the board does not have.
        write(os.path.join(p, "cmrx.yaml"), yaml.replace("peripherals: [timer0]",
                                                         "peripherals: [timer7]"))
        r = w.cmrx("build", cwd=p, timeout=BUILD)
        self.assertNotEqual(r.code, 0, r)
        self.assertIn("timer7", r.err + r.out)
        # Two processes asking for the same one.
        write(os.path.join(p, "cmrx.yaml"), yaml.replace(
            "    system: true", "    system: true\n    peripherals: [timer0]"))
        r = w.cmrx("build", cwd=p, timeout=BUILD)
        self.assertNotEqual(r.code, 0, r)
        self.assertIn("timer0", r.err + r.out)
        write(os.path.join(p, "cmrx.yaml"), yaml)
        self.assertEqual(snapshot(p), before)

    def test_callers_reach_the_firmware(self):
        """cmrx.yaml's `callers` and a component's `callers` setting (a list)
        reach the process table: a block device whose one client (fs) is
        not in the firmware stops the build, naming it; a setting that names
        a process the project does not have stops it too (a misspelt client
        would be refused at run time); the setting that names the project's
        process lets it build."""
        w = self.w
        self.ok(w.cmrx("new", "cal", "--template", "blank", "--board", "qemu-mps2-an385"))
        p = os.path.join(w.root, "cal")
        self.ok(w.cmrx("add", "emuflash", cwd=p))
        r = w.cmrx("build", cwd=p, timeout=BUILD)
        self.assertNotEqual(r.code, 0, r)
        self.assertIn("process emuflash serves only fs (callers), and firmware", r.err + r.out)
        yaml = self.read(p, "cmrx.yaml")
        write(os.path.join(p, "cmrx.yaml"),
              yaml + "settings:\n  emuflash:\n    callers: [app, logr]\n")
        r = w.cmrx("build", cwd=p, timeout=BUILD)
        self.assertNotEqual(r.code, 0, r)
        self.assertIn("emuflash: setting 'callers' names 'logr'", r.err + r.out)
        self.assertIn("which is no process of", r.err + r.out)
        write(os.path.join(p, "cmrx.yaml"),
              yaml + "settings:\n  emuflash:\n    callers: [app]\n")
        self.ok(w.cmrx("build", cwd=p, timeout=BUILD))
        config = self.read(p, os.path.join("build", "qemu-mps2-an385", "debug", "cal.cmrx",
                                           "cmrx_config.c"))
        self.assertIn("/* serves itself, app */", config)
        # A process's own callers: none of them in the firmware.
        write(os.path.join(p, "cmrx.yaml"), yaml.replace(
            "    sources:", "    callers: [logger]\n    sources:", 1) +
            "settings:\n  emuflash:\n    callers: [app]\n")
        r = w.cmrx("build", cwd=p, timeout=BUILD)
        self.assertNotEqual(r.code, 0, r)
        self.assertIn("serves only logger (callers)", r.err + r.out)


if __name__ == "__main__":
    unittest.main()
