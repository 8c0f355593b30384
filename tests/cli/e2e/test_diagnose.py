"""Seeing what went wrong: fault reports decoded into source lines and the
RPC chain (cmrx run), on firmware booted in QEMU with the MPU on."""
import glob
import os
import re
import select
import signal
import subprocess
import time
import unittest
import xml.etree.ElementTree as ET

from harness import CMRX, WorldTest, write

BUILD = 300  # seconds a command that builds may take on a busy machine

# Three processes: a calls b, b calls c, and c's helper writes where c may not.
NESTED_YAML = """name: demo
version: 0.1.0
board: {board}
kernel: ^0.1
processes:
  - name: a
    sources: [src/a.c]
    stack_size: 2048
    threads: 1
    priority: 10
    system: true
  - name: b
    sources: [src/b.c]
    threads: 0
  - name: c
    sources: [src/c.c]
    threads: 0
"""

SVC_H = """#ifndef SVC_H
#define SVC_H
#include <cmrx/cmrx.h>
struct svc;
struct svc_vtable {
    int (*method)(struct svc *self, int x);
};
struct svc {
    const struct svc_vtable *vtable;
};
extern struct svc svc_b, svc_c;
#endif
"""

A_C = """#include "svc.h"

static int a_main(void *arg)
{
    (void)arg;
    int rc = cmrx_rpc_call(&svc_b, method, 7);
    cmrx_printf("a: b returned %d\\n", rc);
    cmrx_shutdown(rc == CMRX_ERPC_FAULT ? 0 : 1);
    return 0;
}

CMRX_THREAD(a_main, NULL);
"""

B_C = """#include "svc.h"

static int relay(struct svc *self, int x)
{
    (void)self;
    return cmrx_rpc_call(&svc_c, method, x);
}

CMRX_VTABLE(struct svc_vtable, b_vt) = {relay};
CMRX_EXPORT struct svc svc_b = {&b_vt};
"""

C_C = """#include "svc.h"

#include <stdint.h>

/* Into b's memory, which its call does not open to c. */
__attribute__((noinline)) static void poke(int x)
{
    *(volatile int *)(uintptr_t)&svc_b = x;
}

static int store(struct svc *self, int x)
{
    (void)self;
    poke(x);
    return 0;
}

CMRX_VTABLE(struct svc_vtable, c_vt) = {store};
CMRX_EXPORT struct svc svc_c = {&c_vt};
"""


def line_of(path, text):
    with open(path) as f:
        for n, line in enumerate(f, 1):
            if text in line:
                return n
    raise AssertionError(f"{text!r} not in {path}")


def nested_project(test, board="qemu-mps2-an385"):
    """In @p test's world: a calls b, b calls c, c faults (project "demo")."""
    w = test.w
    test.ok(w.cmrx("new", "demo", "--template", "blank", "--board", board))
    p = os.path.join(w.root, "demo")
    os.remove(os.path.join(p, "src/app.c"))
    write(os.path.join(p, "cmrx.yaml"), NESTED_YAML.format(board=board))
    write(os.path.join(p, "src/svc.h"), SVC_H)
    write(os.path.join(p, "src/a.c"), A_C)
    write(os.path.join(p, "src/b.c"), B_C)
    write(os.path.join(p, "src/c.c"), C_C)
    return p


class Faults(WorldTest):
    def setUp(self):
        super().setUp()
        self.w.env.pop("CMRX_REGISTRY")  # the default: this SDK's registry

    def nested_project(self, board="qemu-mps2-an385"):
        return nested_project(self, board)

    def test_a_fault_in_a_nested_call_is_decoded_with_its_chain(self):
        w = self.w
        p = self.nested_project()
        r = self.ok(w.cmrx("run", "--timeout", "60", cwd=p, timeout=BUILD))
        c, b = os.path.join(p, "src/c.c"), os.path.join(p, "src/b.c")
        # The kernel's own report, as it printed it...
        self.assertRegex(r.out, r"\[cmrx\] FAULT process=c thread=\d+ pc=0x[0-9a-f]{8} "
                         r"addr=0x[0-9a-f]{8} [^\n]*action=abort-rpc")
        # ...then the faulting instruction and the caller, as source lines...
        self.assertRegex(r.out, r"\[cmrx\]   pc 0x[0-9a-f]{8} in poke \(src/c\.c:%d\)\n"
                         % line_of(c, "*(volatile int *)"))
        self.assertRegex(r.out, r"\[cmrx\]   lr 0x[0-9a-f]{8} in store \(src/c\.c:%d\)\n"
                         % line_of(c, "poke(x);"))
        # ...and the chain, innermost call first, each method by name and
        # the line of its first instruction.
        m = re.search(r"\[cmrx\]   rpc 2: b -> c\.store \(src/c\.c:(\d+)\)\n"
                      r"\[cmrx\]   rpc 1: a -> b\.relay \(src/b\.c:(\d+)\)\n", r.out)
        self.assertIsNotNone(m, r.out)
        self.assertIn(int(m[1]) - line_of(c, "static int store"), range(0, 4), r.out)
        self.assertIn(int(m[2]) - line_of(b, "static int relay"), range(0, 4), r.out)
        self.assertIn("a: b returned", r.out)
        self.assertNotIn("method=0x", r.out)

    def test_without_addr2line_the_report_stays_as_the_kernel_printed_it(self):
        w = self.w
        p = self.nested_project()
        r = self.ok(w.cmrx("run", "--timeout", "60", cwd=p, timeout=BUILD,
                           env={"PATH": w.path_without("arm-none-eabi-addr2line")}))
        self.assertRegex(r.out, r"\[cmrx\]   lr=0x[0-9a-f]{8}\n"
                         r"\[cmrx\]   rpc 2: b -> c method=0x[0-9a-f]{8}\n"
                         r"\[cmrx\]   rpc 1: a -> b method=0x[0-9a-f]{8}\n")

    def test_gdb_lists_threads_reads_any_process_and_backtraces_across_rpc(self):
        w = self.w
        p = self.nested_project()
        r = w.cmrx("debug", "--", "-batch", "-ex", "break poke", "-ex", "continue",
                   "-ex", "cmrx processes", "-ex", "cmrx threads", "-ex", "print svc_b",
                   "-ex", "cmrx print svc_b", "-ex", "cmrx bt", cwd=p, timeout=BUILD)
        self.assertEqual(r.code, 0, r)
        out = r.out + r.err
        self.assertRegex(out, r"(?m)^0 +a +alive +0 ")
        self.assertRegex(out, r"(?m)^2 +c +alive +0 ")
        # The one thread, at home in a, runs in c: two calls deep.
        self.assertRegex(out, r"(?m)^\* 256 +a +c +ready +10 +2048 +\d+ +\d+$")
        self.assertRegex(out, r"(?m)^  257 +idle +idle ")
        # Halted in c, the MPU hides b's memory from QEMU's gdb stub; the helper reads it.
        self.assertIn("Cannot access memory at address", out)
        self.assertRegex(out, r"svc_b = \{vtable = 0x[0-9a-f]+ <b_vt>\}")
        self.assertRegex(out, r"#0  poke \(\S*src/c\.c:%d\)\n#1  store \(\S*src/c\.c:%d\)\n"
                         r"--- rpc 2: b -> c\.store\n#2  relay \(\S*src/b\.c:%d\) in process b\n"
                         r"--- rpc 1: a -> b\.relay\n#3  a_main \(\S*src/a\.c:%d\) in process a\n"
                         % (line_of(os.path.join(p, "src/c.c"), "*(volatile int *)"),
                            line_of(os.path.join(p, "src/c.c"), "poke(x);"),
                            line_of(os.path.join(p, "src/b.c"), "return cmrx_rpc_call"),
                            line_of(os.path.join(p, "src/a.c"), "int rc = cmrx_rpc_call")))

    def test_monitor_decodes_a_serial_console_and_ends_on_ctrl_c_or_sigterm(self):
        """A board's serial port, stood in for by a pseudo-terminal that gets
        the console output of the nested fault as the kernel prints it."""
        w = self.w
        p = self.nested_project()
        r = self.ok(w.cmrx("run", "--timeout", "60", cwd=p, timeout=BUILD,
                           env={"PATH": w.path_without("arm-none-eabi-addr2line")}))
        raw = r.out
        self.assertIn("method=0x", raw)
        master, slave = os.openpty()
        env = dict(w.env)
        proc = subprocess.Popen([CMRX, "monitor", "--port", os.ttyname(slave)], cwd=p, env=env,
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
        self.addCleanup(lambda: proc.poll() is None and proc.kill())
        self.assertIn(b"Monitoring " + os.ttyname(slave).encode(), proc.stderr.readline())
        os.write(master, raw.replace("\n", "\r\n").encode())
        out = b""
        deadline = time.time() + 30
        while b"a: b returned" not in out and time.time() < deadline:
            if select.select([proc.stdout], [], [], 1)[0]:
                out += os.read(proc.stdout.fileno(), 4096)
        text = out.decode()
        self.assertRegex(text, r"\[cmrx\]   pc 0x[0-9a-f]{8} in poke \(src/c\.c:\d+\)")
        self.assertRegex(text, r"\[cmrx\]   rpc 2: b -> c\.store \(src/c\.c:\d+\)")
        self.assertIn("a: b returned", text)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
        self.assertEqual(proc.returncode, 0, err)
        self.assertIn(b"Stopped monitor", err)
        # Ended by another program (a service manager's SIGTERM): the shell's
        # status for it, not success.
        proc = subprocess.Popen([CMRX, "monitor", "--port", os.ttyname(slave)], cwd=p, env=env,
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
        self.addCleanup(lambda: proc.poll() is None and proc.kill())
        self.assertIn(b"Monitoring", proc.stderr.readline())
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
        self.assertEqual(proc.returncode, 128 + signal.SIGTERM, err)
        self.assertIn(b"Stopped monitor (terminated)", err)
        os.close(master)
        os.close(slave)
        # No port given and none to find: a clear error (where the machine has none).
        if not (glob.glob("/dev/serial/by-id/*") or glob.glob("/dev/ttyACM*")
                or glob.glob("/dev/ttyUSB*")):
            self.fails(w.cmrx("monitor", cwd=p), "no serial port found", "--port DEV")
        self.fails(w.cmrx("monitor", "--port", os.path.join(p, "cmrx.yaml"), cwd=p),
                   "is not a serial port")


class Tests(WorldTest):
    """cmrx test: host tests (CMocka, on this machine) and target tests (QEMU)."""

    def setUp(self):
        super().setUp()
        self.w.env.pop("CMRX_REGISTRY")

    def new(self, template, board="qemu-mps2-an385"):
        self.ok(self.w.cmrx("new", template, "--template", template, "--board", board))
        return os.path.join(self.w.root, template)

    def test_every_template_ships_a_test_that_passes(self):
        w = self.w
        for template, test, host in (("hello", "greeter_test", ["client_unit", "greeter_unit"]),
                                     ("blank", "app_test", []),
                                     ("driver", "timer_test", ["timer_unit"])):
            p = self.new(template)
            junit = os.path.join(w.root, template + ".xml")
            r = self.ok(w.cmrx("test", "--junit", junit, cwd=p, timeout=BUILD))
            self.assertRegex(r.out, r"(?m)^PASS   target %s \(\d+\.\d s\)$" % test)
            for h in host:
                self.assertRegex(r.out, r"(?m)^PASS   host %s \(\d+\.\d s\)$" % h)
            n = len(host) + 1
            self.assertIn(f"{n} passed, 0 failed of {n} test{'s' if n > 1 else ''} of {template} "
                          f"({len(host)} host, 1 target on qemu-mps2-an385)", r.out)
            # The test firmware runs without the system process the firmware has.
            with open(os.path.join(p, "build/qemu-mps2-an385/test/cmrx/CMakeLists.txt")) as f:
                gen = f.read()
            system = {"hello": "client", "blank": "app", "driver": "app"}[template]
            self.assertRegex(gen, r"cmrx_add_firmware\(NAME test_%s PROCESSES[^)]*\b%s\)"
                             % (test, test))
            self.assertNotRegex(gen, r"cmrx_add_firmware\(NAME test_%s PROCESSES[^)]*\b%s\b"
                                % (test, system))
            suite = ET.parse(junit).getroot().find("testsuite")
            self.assertEqual((suite.get("tests"), suite.get("failures")), (str(n), "0"))
            self.assertEqual([c.get("name") for c in suite.findall("testcase")], host + [test])
            # The firmware's own build is apart and untouched.
            self.assertFalse(os.path.exists(os.path.join(p, "build/qemu-mps2-an385/debug")))
        # Another board, with the other MPU (ARMv8-M).
        r = self.ok(w.cmrx("test", "--board", "qemu-mps2-an505", cwd=os.path.join(w.root, "hello"),
                           timeout=BUILD))
        self.assertIn("3 passed, 0 failed of 3 tests of hello (2 host, 1 target on "
                      "qemu-mps2-an505)", r.out)

    def test_broken_tests_fail_with_a_readable_report(self):
        w = self.w
        p = self.new("hello")
        tests = os.path.join(p, "tests/target")
        # A service that miscounts fails the shipped test at its check.
        greeter = os.path.join(p, "src/greeter.c")
        with open(greeter) as f:
            text = f.read()
        write(greeter, text.replace("self->greeted++;", "self->greeted += 2;"))
        # A test that faults, one that hangs, and one that passes.
        write(os.path.join(tests, "crash_test.c"), """#include <cmrx/cmrx.h>
__attribute__((noinline)) static void crash(void)
{
    *(volatile int *)0x10 = 1; /* flash: no process writes there */
}
static int test_main(void *arg)
{
    (void)arg;
    crash();
    cmrx_shutdown(0);
    return 0;
}
CMRX_THREAD(test_main, NULL);
""")
        write(os.path.join(tests, "hang_test.c"), """#include <cmrx/cmrx.h>
static int test_main(void *arg)
{
    (void)arg;
    for (;;) {
        cmrx_usleep(1000000);
    }
    return 0;
}
CMRX_THREAD(test_main, NULL);
""")
        write(os.path.join(tests, "ok_test.c"), """#include <cmrx/cmrx.h>
static int test_main(void *arg)
{
    (void)arg;
    cmrx_shutdown(0);
    return 0;
}
CMRX_THREAD(test_main, NULL);
""")
        # A host test that overflows a buffer: AddressSanitizer stops it.
        write(os.path.join(p, "tests/host/overflow_unit.c"), """#include <string.h>
int main(void)
{
    char a[4];
    volatile size_t n = 8;
    memset(a, 1, n);
    return a[0] - 1;
}
""")
        junit = os.path.join(w.root, "junit.xml")
        r = w.cmrx("test", "--timeout", "5", "--junit", junit, cwd=p, timeout=BUILD)
        self.fails(r, "5 of 7 tests failed")
        self.assertIn("2 passed, 5 failed of 7 tests of hello (3 host, 4 target", r.out)
        # Each failure says why, with its output.
        self.assertRegex(r.out, r"FAIL   host greeter_unit \(exit status 1\)\n(       \| .*\n)*"
                         r"       \| \[   LINE   \] --- \S*tests/host/greeter_unit\.c:\d+: error")
        self.assertRegex(r.out, r"(?m)^PASS   host client_unit ")
        self.assertRegex(r.out, r"FAIL   host overflow_unit \(exit status 1\)\n(       \| .*\n)*"
                         r"       \| [^\n]*AddressSanitizer: stack-buffer-overflow")
        self.assertRegex(r.out, r"FAIL   target greeter_test \(exit status 1\)\n(       \| .*\n)*"
                         r"       \| CHECK FAILED: cmrx_rpc_call\(&greeter_service, count\) == 1 "
                         r"\(line \d+\)\n")
        self.assertRegex(r.out, r"FAIL   target hang_test \(still running after its 5 s\)")
        # The thread's fault kills it; nothing ends the firmware, so it runs
        # out of time, and its report shows the fault as a source line.
        self.assertRegex(r.out, r"FAIL   target crash_test \(still running after its 5 s\)")
        self.assertRegex(r.out, r"       \| \[cmrx\]   pc 0x[0-9a-f]{8} in crash "
                         r"\(tests/target/crash_test\.c:4\)")
        self.assertRegex(r.out, r"(?m)^PASS   target ok_test ")
        suite = ET.parse(junit).getroot().find("testsuite")
        self.assertEqual((suite.get("tests"), suite.get("failures")), ("7", "5"))
        failed = {c.get("name"): c.find("failure") for c in suite.findall("testcase")}
        self.assertIsNone(failed["ok_test"])
        self.assertEqual(failed["greeter_test"].get("message"), "exit status 1")
        self.assertIn("CHECK FAILED", failed["greeter_test"].text)
        # A host test that does not compile fails with the compiler's message.
        write(os.path.join(p, "tests/host/overflow_unit.c"), "int main(void) { return nope; }\n")
        r = w.cmrx("test", "--timeout", "5", cwd=p, timeout=BUILD)
        self.assertRegex(r.out, r"FAIL   host overflow_unit \(does not compile\)\n(       \| .*\n)*"
                         r"       \| \S*tests/host/overflow_unit\.c:1:\d+: error: 'nope' undeclared")
        # A test named like a process of cmrx.yaml is refused before anything is built.
        write(os.path.join(tests, "greeter.c"), "")
        self.fails(w.cmrx("test", cwd=p), "tests/target/greeter.c", "cmrx.yaml has a process "
                   "'greeter' already")

    def test_a_project_without_tests_is_told_how_to_write_one(self):
        w = self.w
        p = self.new("blank")
        os.remove(os.path.join(p, "tests/target/app_test.c"))
        self.fails(w.cmrx("test", cwd=p), "project blank has no tests: no tests/host/NAME.c or "
                   "tests/target/NAME.c", "docs/testing.md")


if __name__ == "__main__":
    unittest.main()
