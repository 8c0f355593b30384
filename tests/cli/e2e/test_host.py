"""The host simulation (issue 17, point 2): `--board host` builds the whole
firmware (kernel on the sim port, every process) as one Linux program that
behaves like the target — the same RPC, scheduling and fault policies, each
process's memory protected from the others with mprotect — and runs it,
tests it and debugs it without QEMU."""
import json
import os
import re
import subprocess
import unittest

import test_components
from harness import WorldTest, write
from test_diagnose import line_of, nested_project

BUILD = 300  # seconds a command that builds may take on a busy machine

# Two processes at one priority: a thread that never blocks, computing in
# floating point, and one that sleeps. Only preemption by the tick lets the
# sleeper run; a context switch that lost FP registers makes the sum wrong.
PREEMPT_YAML = """name: demo
version: 0.1.0
board: qemu-mps2-an385
kernel: ^0.1
processes:
  - name: busy
    sources: [src/busy.c]
    priority: 20
  - name: sleeper
    sources: [src/sleeper.c]
    priority: 20
    system: true
"""

BUSY_C = """#include <cmrx/cmrx.h>

static volatile double seen;

static int busy(void *arg)
{
    (void)arg;
    double x = 0;
    for (unsigned long n = 1;; n++) {
        for (int i = 0; i < 1000; i++) {
            x += 0.5;
        }
        if (x != (double)n * 500.0) {
            cmrx_printf("busy: FP state lost after %lu rounds\\n", n);
            cmrx_shutdown(3);
        }
        seen = x;
    }
    return 0;
}

CMRX_THREAD(busy, NULL);
"""

SLEEPER_C = """#include <cmrx/cmrx.h>

static int sleeper(void *arg)
{
    (void)arg;
    uint32_t start = cmrx_time_us();
    for (int i = 0; i < 5; i++) {
        cmrx_usleep(20000);
    }
    uint32_t ms = (cmrx_time_us() - start) / 1000u;
    cmrx_printf("sleeper: 5 naps took %u ms\\n", (unsigned)ms);
    cmrx_shutdown(ms >= 100 && ms < 1000 ? 0 : 1);
    return 0;
}

CMRX_THREAD(sleeper, NULL);
"""


def fault_lines(out):
    """The decoded fault report of @p out, board-neutral: addresses and the
    cause's hardware detail (DACCVIOL, SIGSEGV) dropped."""
    lines = [l for l in out.splitlines() if re.match(r"\[cmrx\] (FAULT|  (pc|lr|rpc) )", l)]
    lines = [re.sub(r"0x[0-9a-f]{8}", "ADDR", l) for l in lines]
    # A method's line is that of its first instruction, which compilers
    # place differently (the test of the chain checks it is the method's).
    lines = [re.sub(r"(rpc \d: .*):\d+\)$", r"\1:LINE)", l) for l in lines]
    return [re.sub(r" \((DACCVIOL|SIGSEGV)\)", "", l) for l in lines]


class HostSimulation(WorldTest):
    def setUp(self):
        super().setUp()
        self.w.env.pop("CMRX_REGISTRY")  # the default: this SDK's registry

    def new(self, template):
        self.ok(self.w.cmrx("new", "demo", "--template", template, "--board", "qemu-mps2-an385"))
        return os.path.join(self.w.root, "demo")

    def test_hello_runs_and_its_tests_pass_and_fail_on_the_host(self):
        w = self.w
        p = self.new("hello")
        r = self.ok(w.cmrx("run", "--board", "host", "--timeout", "60", cwd=p, timeout=BUILD))
        self.assertIn("build/host/debug/demo.elf on this machine (board host", r.err)
        self.assertNotIn("QEMU", r.err)
        self.assertEqual(re.findall(r"client: hello #(\d) from the greeter", r.out),
                         ["1", "2", "3"], r.out)
        self.assertIn("client: 3 greetings, done on host\n", r.out)
        # An ELF for this machine, not a Cortex-M image.
        with open(os.path.join(p, "build/host/debug/demo.elf"), "rb") as f:
            head = f.read(20)
        self.assertEqual(head[:5], b"\x7fELF\x02")
        self.assertEqual(int.from_bytes(head[18:20], "little"), 62)  # EM_X86_64
        # A host test names processes as the firmware would (cmrx/host.h).
        write(os.path.join(p, "tests/host/names_unit.c"), """#include <cmrx/cmrx.h>
#include <cmrx/host.h>
#include <string.h>
int main(void)
{
    char n[8];
    if (cmrx_process_name(0, n, sizeof(n)) != CMRX_EINVAL) {
        return 1; /* none by default */
    }
    static const char *const names[] = {"greeter", "client", NULL};
    cmrx_host_process_names = names;
    if (cmrx_process_name(1, n, 4) != 6 || strcmp(n, "cli") != 0 || cmrx_process_is(2, "")) {
        return 2;
    }
    if (!cmrx_process_is(0, "greeter") || cmrx_process_find("client") != 1 ||
        cmrx_process_find("server") != CMRX_ESRCH || cmrx_owner_check("5:client", 5, 1) != CMRX_OK ||
        cmrx_owner_check("5:client", 5, 0) != CMRX_EPERM) {
        return 3;
    }
    return 0;
}
""")
        r = self.ok(w.cmrx("test", "--board", "host", cwd=p, timeout=BUILD))
        self.assertIn("PASS   target greeter_test", r.out)
        self.assertIn("PASS   host names_unit", r.out)
        os.remove(os.path.join(p, "tests/host/names_unit.c"))
        r = self.ok(w.cmrx("test", "--board", "host", cwd=p, timeout=BUILD))
        self.assertIn("3 passed, 0 failed of 3 tests of demo (2 host, 1 target on host)", r.out)
        self.assertIn("on this machine (board host, the host simulation): 1 target test", r.err)
        # Broken on purpose: the target test's verdict is its exit code.
        test = os.path.join(p, "tests/target/greeter_test.c")
        with open(test) as f:
            text = f.read()
        self.assertIn("cmrx_shutdown(0)", text)
        write(test, text.replace("cmrx_shutdown(0)", "cmrx_shutdown(5)"))
        r = w.cmrx("test", "--board", "host", cwd=p, timeout=BUILD)
        self.assertEqual(r.code, 1, r)
        self.assertIn("FAIL   target greeter_test", r.out)
        self.assertIn("2 passed, 1 failed of 3 tests", r.out)
        self.assertIn("shutdown by process greeter_test, code 5", r.out)

    def test_the_blank_templates_target_test_passes_on_the_host(self):
        r = self.ok(self.w.cmrx("test", "--board", "host", cwd=self.new("blank"), timeout=BUILD))
        self.assertIn("PASS   target app_test", r.out)
        self.assertIn("1 passed, 0 failed of 1 test of demo (0 host, 1 target on host)", r.out)

    def test_an_isolation_fault_reads_as_it_does_in_qemu(self):
        w = self.w
        p = nested_project(self)
        qemu = self.ok(w.cmrx("run", "--timeout", "60", cwd=p, timeout=BUILD))
        host = self.ok(w.cmrx("run", "--board", "host", "--timeout", "60", cwd=p, timeout=BUILD))
        c = os.path.join(p, "src/c.c")
        # The same report, field by field: process, thread, cause, action,
        # the faulting line and its caller, the RPC chain.
        self.assertEqual(fault_lines(host.out), fault_lines(qemu.out), host.out)
        self.assertRegex(host.out, r"\[cmrx\] FAULT process=c thread=\d+ pc=0x[0-9a-f]{8} "
                         r"addr=0x[0-9a-f]{8} cause=\"MemManage: data access violation "
                         r"\(SIGSEGV\)\" action=abort-rpc")
        self.assertRegex(host.out, r"\[cmrx\]   pc 0x[0-9a-f]{8} in poke \(src/c\.c:%d\)\n"
                         % line_of(c, "*(volatile int *)"))
        self.assertRegex(host.out, r"\[cmrx\]   lr 0x[0-9a-f]{8} in store \(src/c\.c:%d\)\n"
                         % line_of(c, "poke(x);"))
        m = re.search(r"\[cmrx\]   rpc 2: b -> c\.store \(src/c\.c:(\d+)\)\n"
                      r"\[cmrx\]   rpc 1: a -> b\.relay \(src/b\.c:(\d+)\)\n", host.out)
        self.assertIsNotNone(m, host.out)
        self.assertIn(int(m[1]) - line_of(c, "static int store"), range(0, 4), host.out)
        self.assertIn(int(m[2]) - line_of(os.path.join(p, "src/b.c"), "static int relay"),
                      range(0, 4), host.out)
        # The caller carries on, told of the fault, as on the board.
        self.assertIn("a: b returned -106", host.out)

    def test_the_kernel_trace_of_a_host_run(self):
        w = self.w
        p = self.new("hello")
        r = self.ok(w.cmrx("trace", "--board", "host", "--timeout", "60", cwd=p, timeout=BUILD))
        self.assertIn("on this machine (board host", r.err)
        with open(os.path.join(p, "build/host/trace/trace.json")) as f:
            events = json.load(f)["traceEvents"]
        calls = [e for e in events if e.get("name") == "greeter.greet" and e.get("ph") == "X"]
        self.assertEqual(len(calls), 3, events)
        self.assertTrue(all(e["dur"] > 0 for e in calls), calls)
        self.assertRegex(r.out, r"client/client_main +[0-9.]+ +[0-9.]+% +\d+ +4\n")

    def test_a_restarting_service_comes_back_with_its_initial_data(self):
        """The hello greeter's fault policy is restart: it crashes in its
        second call, the caller gets CMRX_ERPC_FAULT, the kernel restarts it
        with .data as the program was loaded (its count from 0 again)."""
        w = self.w
        p = self.new("hello")
        greeter, client = os.path.join(p, "src/greeter.c"), os.path.join(p, "src/client.c")
        with open(greeter) as f:
            g = f.read()
        crash = "    if (n == 2 && self->greeted == 1) {\n        *(volatile int *)0x10 = 1;\n    }\n"
        self.assertIn("    self->greeted++;", g)
        write(greeter, g.replace("    self->greeted++;", crash + "    self->greeted++;"))
        with open(client) as f:
            c = f.read()
        self.assertIn("cmrx_shutdown(1);", c)
        write(client, c.replace("cmrx_shutdown(1);", "continue;", 1))
        r = self.ok(w.cmrx("run", "--board", "host", "--timeout", "60", cwd=p, timeout=BUILD))
        self.assertRegex(r.out, r"FAULT process=greeter thread=\d+ pc=0x[0-9a-f]{8} addr=0x00000010 "
                         r"[^\n]*action=abort-rpc,restart")
        self.assertIn("process greeter restarted (1)", r.out)
        self.assertEqual(r.out.count("greeter: ready in its own memory"), 2, r.out)
        self.assertIn("client: the greeter failed (-106)", r.out)
        self.assertIn("client: hello #3 from the greeter", r.out)
        self.assertIn("client: 1 greetings, done on host", r.out)

    def test_no_function_of_the_program_replaces_the_c_librarys(self):
        """Kernel, library and processes are one program with the C library.
        A function of theirs named as one of the library's must not be
        exported, where the library's own callers would take it for theirs
        (a kernel sched_yield() once replaced the one the sanitizers call at
        exit): none of the program's functions is exported. And the port's
        own calls of the library stay the library's: a process's write(),
        which writes nothing, does not silence the console."""
        w = self.w
        p = self.new("hello")
        greeter = os.path.join(p, "src/greeter.c")
        with open(greeter) as f:
            g = f.read()
        write(greeter, g + "\nint sched_yield(void);\nint sched_yield(void)\n{\n    return -1;\n}\n"
              "\nint write(int fd, const void *buf, unsigned n);\n"
              "int write(int fd, const void *buf, unsigned n)\n{\n"
              "    (void)fd;\n    (void)buf;\n    (void)n;\n    return -1;\n}\n")
        r = self.ok(w.cmrx("run", "--board", "host", "--timeout", "60", cwd=p, timeout=BUILD))
        self.assertIn("greeter: ready in its own memory", r.out)
        self.assertIn("client: 3 greetings, done on host", r.out)
        elf = os.path.join(p, "build/host/debug/demo.elf")

        out = subprocess.run(["readelf", "-sW", elf], capture_output=True, text=True,
                             check=True).stdout
        # Num: Value Size Type Bind Vis Ndx Name
        seen = {f[7]: (f[4], f[5]) for f in (l.split() for l in out.splitlines())
                if len(f) == 8 and f[3] == "FUNC" and f[6] != "UND"}
        # The kernel's, its library's (cmrx_user), the port's and a process's:
        # local, or global but hidden (never in the dynamic symbol table).
        for name in ("sched_pick", "ctx_rpc_call", "cmrx_rpc_return_trampoline", "cmrx_sim_svc",
                     "greet", "sched_yield", "write"):
            self.assertIn(name, seen)
            self.assertTrue(seen[name][0] == "LOCAL" or seen[name][1] == "HIDDEN",
                            f"{name} is exported: {seen[name]}")
        dyn = subprocess.run(["nm", "-D", "--defined-only", elf], capture_output=True, text=True,
                             check=True).stdout
        self.assertNotIn("sched_yield", dyn)
        self.assertNotRegex(dyn, r"(?m) T write$")

    def test_gdb_runs_the_program_and_reads_every_process(self):
        w = self.w
        p = nested_project(self)
        r = w.cmrx("debug", "--board", "host", "--", "-batch", "-ex", "break poke", "-ex", "run",
                   "-ex", "bt", "-ex", "print svc_b", "-ex", "cmrx processes", "-ex",
                   "cmrx threads", "-ex", "cmrx bt", cwd=p, timeout=BUILD)
        self.assertEqual(r.code, 0, r)
        c = os.path.join(p, "src/c.c")
        self.assertRegex(r.out, r"#0  poke \(x=7\) at \S*src/c\.c:%d" % line_of(c, "*(volatile"))
        self.assertRegex(r.out, r"#1  0x[0-9a-f]+ in store \(.*\) at \S*src/c\.c:%d"
                         % line_of(c, "poke(x);"))
        # b's memory is closed to c's code, not to the debugger.
        self.assertRegex(r.out, r"\$1 = \{vtable = 0x[0-9a-f]+ <b_vt>\}")
        # The kernel's helpers: its tables, and the backtrace through both
        # RPC calls into each caller, as on a board.
        self.assertRegex(r.out, r"(?m)^2 +c +alive +0 ")
        self.assertRegex(r.out, r"(?m)^\* 256 +a +c +ready +10 +\d+ +\d+ +\d+$")
        self.assertRegex(r.out, r"#0  poke \(\S*src/c\.c:%d\)\n#1  store \(\S*src/c\.c:%d\)\n"
                         r"--- rpc 2: b -> c\.store\n#2  relay \(\S*src/b\.c:%d\) in process b\n"
                         r"--- rpc 1: a -> b\.relay\n#3  a_main \(\S*src/a\.c:%d\) in process a\n"
                         % (line_of(c, "*(volatile int *)"), line_of(c, "poke(x);"),
                            line_of(os.path.join(p, "src/b.c"), "return cmrx_rpc_call"),
                            line_of(os.path.join(p, "src/a.c"), "int rc = cmrx_rpc_call")))
        # The tick and the kernel's resume signal do not stop gdb.
        self.assertNotIn("SIGALRM", r.out)
        self.assertNotIn("SIGUSR1", r.out)

    def test_the_tick_preempts_and_keeps_fp_state(self):
        w = self.w
        p = self.new("blank")
        os.remove(os.path.join(p, "src/app.c"))
        write(os.path.join(p, "cmrx.yaml"), PREEMPT_YAML)
        write(os.path.join(p, "src/busy.c"), BUSY_C)
        write(os.path.join(p, "src/sleeper.c"), SLEEPER_C)
        r = self.ok(w.cmrx("run", "--board", "host", "--timeout", "60", cwd=p, timeout=BUILD))
        self.assertRegex(r.out, r"sleeper: 5 naps took \d+ ms")
        self.assertNotIn("FP state lost", r.out)

    def test_address_sanitizer_checks_process_code(self):
        w = self.w
        p = self.new("hello")
        client = os.path.join(p, "src/client.c")
        with open(client) as f:
            text = f.read()
        bug = "    volatile char small[4];\n    volatile int i = 4;\n    small[i] = 1;\n"
        write(client, text.replace("    cmrx_shutdown(0);", bug + "    cmrx_shutdown(0);"))
        r = w.cmrx("run", "--board", "host", "--timeout", "60", cwd=p, timeout=BUILD)
        self.assertNotEqual(r.code, 0, r)
        self.assertIn("AddressSanitizer: stack-buffer-overflow", r.out + r.err)
        self.assertRegex(r.out + r.err, r"in client_main \S*src/client\.c:%d"
                         % line_of(client, "small[i] = 1;"))
        # A release build has no sanitizer: the overflow goes unseen there.
        r = self.ok(w.cmrx("run", "--board", "host", "--release", "--timeout", "60", cwd=p,
                           timeout=BUILD))
        self.assertIn("client: 3 greetings, done on host", r.out)

    def test_what_the_host_cannot_give_is_refused_clearly(self):
        w = self.w
        p = self.new("driver")
        r = w.cmrx("run", "--board", "host", "--timeout", "60", cwd=p, timeout=BUILD)
        self.assertNotEqual(r.code, 0, r)
        self.assertIn("asks for peripheral 'timer0', which board host does not have", r.err)
        p2 = os.path.join(w.root, "other")
        self.ok(w.cmrx("new", "other", "--template", "hello", "--board", "qemu-mps2-an385"))
        r = w.cmrx("run", "--board", "host", "--net", cwd=p2, timeout=BUILD)
        self.assertEqual(r.code, 1, r)
        self.assertIn("board host (the host simulation) has no network controller", r.err)
        r = w.cmrx("size", "--board", "host", cwd=p2, timeout=BUILD)
        self.assertEqual(r.code, 1, r)
        self.assertIn("no memory table", r.err)
        # No probe, no serial port: the hints point to what runs it, not to bsp.yaml.
        r = w.cmrx("flash", "--board", "host", "--dry-run", cwd=p2, timeout=BUILD)
        self.assertEqual(r.code, 1, r)
        self.assertIn("board host has no pyOCD target", r.err)
        self.assertIn("`cmrx run --board host` runs the firmware", r.err)
        self.assertNotIn("bsp.yaml (`pyocd list", r.err)
        r = w.cmrx("monitor", "--board", "host", cwd=p2, timeout=BUILD)
        self.assertEqual(r.code, 1, r)
        self.assertIn("board host (the host simulation) has no serial port", r.err)


class HostComponents(test_components.Components):
    """The components made of software only, with the user's processes, in
    the host simulation: the same tests as on the emulated board."""
    BOARD = "host"
    # Devices (a UART, the FPGA's GPIO) are the boards'; search needs no run.
    test_uart_console_prints_and_reads_for_the_users_process = None
    test_gpio_pins_belong_to_the_process_that_claimed_them = None
    test_search_lists_the_components = None


if __name__ == "__main__":
    unittest.main()
