"""Seeing what went wrong: fault reports decoded into source lines and the
RPC chain (cmrx run), on firmware booted in QEMU with the MPU on."""
import os
import re
import unittest

from harness import WorldTest, write

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


class Faults(WorldTest):
    def setUp(self):
        super().setUp()
        self.w.env.pop("CMRX_REGISTRY")  # the default: this SDK's registry

    def nested_project(self, board="qemu-mps2-an385"):
        w = self.w
        self.ok(w.cmrx("new", "demo", "--template", "blank", "--board", board))
        p = os.path.join(w.root, "demo")
        os.remove(os.path.join(p, "src/app.c"))
        write(os.path.join(p, "cmrx.yaml"), NESTED_YAML.format(board=board))
        write(os.path.join(p, "src/svc.h"), SVC_H)
        write(os.path.join(p, "src/a.c"), A_C)
        write(os.path.join(p, "src/b.c"), B_C)
        write(os.path.join(p, "src/c.c"), C_C)
        return p

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


if __name__ == "__main__":
    unittest.main()
