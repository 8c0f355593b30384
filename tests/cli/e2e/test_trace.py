"""The kernel trace: `cmrx trace` builds a firmware with a known sequence of
RPC calls, notifications and thread switches with the trace on, boots it in
QEMU (MPU on) and writes a Chrome trace-event JSON, which a checker of that
format accepts and whose slices are exactly the calls made."""
import json
import os
import re
import shutil
import subprocess
import unittest

from harness import WorldTest, write

BUILD = 300  # seconds a command that builds may take on a busy machine

# a calls b.relay three times, which calls c.add_ten each time; then
# c.crash, which faults (writing into b's memory): the call returns
# CMRX_ERPC_FAULT; then a notifies w's word, which wakes w (higher
# priority), which ends.
YAML = """name: demo
version: 0.1.0
board: qemu-mps2-an385
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
  - name: w
    sources: [src/w.c]
    threads: 1
    priority: 8
"""

SVC_H = """#ifndef SVC_H
#define SVC_H
#include <cmrx/cmrx.h>
#include <stdint.h>
struct svc;
struct svc_vtable {
    int (*method)(struct svc *self, int x);
    int (*crash)(struct svc *self, int x);
};
struct svc {
    const struct svc_vtable *vtable;
};
extern struct svc svc_b, svc_c;
extern volatile uint32_t w_word;
#endif
"""

A_C = """#include "svc.h"

static int a_main(void *arg)
{
    (void)arg;
    int sum = 0;
    for (int i = 0; i < 3; i++) {
        sum += cmrx_rpc_call(&svc_b, method, i);
    }
    int crashed = cmrx_rpc_call(&svc_c, crash, 1);
    cmrx_notify(&w_word, 1);
    cmrx_printf("a: sum %d, crash %d\\n", sum, crashed);
    cmrx_shutdown(sum == 36 && crashed == CMRX_ERPC_FAULT ? 0 : 1);
    return 0;
}

CMRX_THREAD(a_main, NULL);
"""

A_FOREVER_C = """#include "svc.h"

static int a_main(void *arg)
{
    (void)arg;
    for (;;) {
        cmrx_usleep(1000);
    }
    return 0;
}

CMRX_THREAD(a_main, NULL);
"""

B_C = """#include "svc.h"

static int relay(struct svc *self, int x)
{
    (void)self;
    return cmrx_rpc_call(&svc_c, method, x) + x;
}

CMRX_VTABLE(struct svc_vtable, b_vt) = {relay, NULL};
CMRX_EXPORT struct svc svc_b = {&b_vt};
"""

C_C = """#include "svc.h"

static int add_ten(struct svc *self, int x)
{
    (void)self;
    return x + 10;
}

/* Into b's memory, which a's call does not open to c. */
static int crash(struct svc *self, int x)
{
    (void)self;
    (void)x;
    ((volatile struct svc *)&svc_b)->vtable = NULL;
    return 0;
}

CMRX_VTABLE(struct svc_vtable, c_vt) = {add_ten, crash};
CMRX_EXPORT struct svc svc_c = {&c_vt};
"""

W_C = """#include "svc.h"

CMRX_EXPORT volatile uint32_t w_word;

static int w_main(void *arg)
{
    (void)arg;
    return cmrx_wait(&w_word, 0, CMRX_FOREVER);
}

CMRX_THREAD(w_main, NULL);
"""

PHASES = {"X", "B", "E", "i", "I", "M", "C", "b", "e", "n", "s", "t", "f"}
META = {"process_name", "thread_name", "process_sort_index", "thread_sort_index",
        "process_labels"}


def check_trace_events(doc):
    """Check a Chrome trace-event document (the JSON object format, as
    Perfetto and chrome://tracing read it); return a list of problems."""
    bad = []
    if not isinstance(doc, dict) or not isinstance(doc.get("traceEvents"), list):
        return ["not an object with a traceEvents list"]
    if "displayTimeUnit" in doc and doc["displayTimeUnit"] not in ("ms", "ns"):
        bad.append("displayTimeUnit is neither ms nor ns")
    slices = {}
    for n, ev in enumerate(doc["traceEvents"]):
        where = f"event {n}"
        if not isinstance(ev, dict):
            bad.append(f"{where}: not an object")
            continue
        ph = ev.get("ph")
        if ph not in PHASES:
            bad.append(f"{where}: phase {ph!r}")
            continue
        if not isinstance(ev.get("name"), str):
            bad.append(f"{where}: no name")
        for k in ("pid", "tid"):
            if not isinstance(ev.get(k), int) or isinstance(ev.get(k), bool):
                bad.append(f"{where}: {k} is not an integer")
        if "args" in ev and not isinstance(ev["args"], dict):
            bad.append(f"{where}: args is not an object")
        if ph == "M":
            if ev.get("name") not in META:
                bad.append(f"{where}: unknown metadata {ev.get('name')!r}")
            elif ev["name"].endswith("_name") and not isinstance(ev.get("args", {}).get("name"),
                                                                  str):
                bad.append(f"{where}: metadata without args.name")
            continue
        ts = ev.get("ts")
        if not isinstance(ts, (int, float)) or isinstance(ts, bool) or ts < 0:
            bad.append(f"{where}: ts {ts!r}")
            continue
        if ph == "X":
            dur = ev.get("dur")
            if not isinstance(dur, (int, float)) or dur < 0:
                bad.append(f"{where}: complete event with dur {dur!r}")
                continue
            slices.setdefault((ev["pid"], ev["tid"]), []).append((ts, ts + dur, ev["name"]))
        if ph in ("i", "I") and ev.get("s", "t") not in ("g", "p", "t"):
            bad.append(f"{where}: instant scope {ev.get('s')!r}")
    # Slices of one track nest: one that starts inside another ends inside it.
    eps = 1e-6
    for track, spans in slices.items():
        spans.sort(key=lambda s: (s[0], -s[1]))
        open_ = []
        for start, end, name in spans:
            while open_ and open_[-1][1] <= start + eps:
                open_.pop()
            if open_ and end > open_[-1][1] + eps:
                bad.append(f"track {track}: {name} overlaps {open_[-1][2]} without nesting")
            open_.append((start, end, name))
    return bad


class Checker(unittest.TestCase):
    """The checker itself refuses what the format does not allow."""

    def test_the_checker_refuses_broken_documents(self):
        good = {"traceEvents": [
            {"name": "process_name", "ph": "M", "pid": 1, "tid": 0, "args": {"name": "p"}},
            {"name": "outer", "ph": "X", "ts": 0, "dur": 10, "pid": 1, "tid": 1},
            {"name": "inner", "ph": "X", "ts": 2, "dur": 3, "pid": 1, "tid": 1},
            {"name": "irq", "ph": "i", "s": "t", "ts": 4, "pid": 1, "tid": 1}]}
        self.assertEqual(check_trace_events(good), [])
        self.assertTrue(check_trace_events([]))
        for mutate in (lambda d: d["traceEvents"][2].update(dur=30),   # overlaps
                       lambda d: d["traceEvents"][1].pop("dur"),
                       lambda d: d["traceEvents"][1].update(ph="Q"),
                       lambda d: d["traceEvents"][1].update(tid="1"),
                       lambda d: d["traceEvents"][3].update(s="x"),
                       lambda d: d["traceEvents"][0]["args"].pop("name"),
                       lambda d: d["traceEvents"][1].update(ts=-1)):
            doc = json.loads(json.dumps(good))
            mutate(doc)
            self.assertTrue(check_trace_events(doc), doc)


class Trace(WorldTest):
    def setUp(self):
        super().setUp()
        self.w.env.pop("CMRX_REGISTRY")  # the default: this SDK's registry

    def project(self):
        w = self.w
        self.ok(w.cmrx("new", "demo", "--template", "blank", "--board", "qemu-mps2-an385"))
        p = os.path.join(w.root, "demo")
        os.remove(os.path.join(p, "src/app.c"))
        write(os.path.join(p, "cmrx.yaml"), YAML)
        for name, text in (("svc.h", SVC_H), ("a.c", A_C), ("b.c", B_C), ("c.c", C_C),
                           ("w.c", W_C)):
            write(os.path.join(p, "src", name), text)
        return p

    def check_run(self, p, board):
        w = self.w
        out = os.path.join(w.root, f"trace-{board}.json")
        r = self.ok(w.cmrx("trace", "--timeout", "60", "--board", board, "--output", out,
                           cwd=p, timeout=BUILD))
        # The console as the firmware wrote it, none of the dump's lines.
        self.assertIn("a: sum 36, crash -106", r.out)
        self.assertNotIn("[cmrx-trace]", r.out)
        with open(out) as f:
            doc = json.load(f)
        self.assertEqual(check_trace_events(doc), [], out)
        evs = doc["traceEvents"]

        names = {(e["pid"], e["tid"]): e["args"]["name"] for e in evs
                 if e["ph"] == "M" and e["name"] == "thread_name"}
        track = {v: k for k, v in names.items()}
        self.assertIn("a/a_main", track, names)
        self.assertIn("w/w_main", track, names)
        a = track["a/a_main"]

        # The RPC calls: on a's track, in order, three b.relay each holding
        # one c.add_ten, with the results the methods returned.
        calls = sorted((e for e in evs if e["ph"] == "X" and e.get("cat") == "rpc"),
                       key=lambda e: (e["ts"], -e["dur"]))
        self.assertEqual([(e["name"], (e["pid"], e["tid"]), e["args"]["depth"],
                           e["args"]["caller"], e["args"]["result"]) for e in calls],
                         [("b.relay", a, 1, "a", 10), ("c.add_ten", a, 2, "b", 10),
                          ("b.relay", a, 1, "a", 12), ("c.add_ten", a, 2, "b", 11),
                          ("b.relay", a, 1, "a", 14), ("c.add_ten", a, 2, "b", 12),
                          ("c.crash", a, 1, "a", -106)], calls)
        for outer, inner in zip(calls[0:6:2], calls[1:6:2]):
            self.assertLess(outer["ts"], inner["ts"])
            self.assertLess(inner["ts"] + inner["dur"], outer["ts"] + outer["dur"])

        # a's notification wakes w, which runs at once (higher priority) and ends.
        def instant(name, at):
            found = [e for e in evs if e["ph"] == "i" and e["name"] == name
                     and (e["pid"], e["tid"]) == at]
            self.assertTrue(found, f"no {name} on {names[at]}")
            return found[0]["ts"]
        # The fault: on a's track (the thread was in c), inside c.crash,
        # naming the process and the faulting function.
        crash = calls[-1]
        fault = [e for e in evs if e["ph"] == "i" and e["name"] == "fault"]
        self.assertEqual([((e["pid"], e["tid"]), e["args"]["process"], e["args"]["pc"])
                          for e in fault], [(a, "c", "crash")], fault)
        self.assertGreaterEqual(fault[0]["ts"], crash["ts"])
        self.assertLessEqual(fault[0]["ts"], crash["ts"] + crash["dur"])
        notify = instant("notify", a)
        self.assertGreater(notify, crash["ts"] + crash["dur"])
        self.assertGreaterEqual(instant("wake", track["w/w_main"]), notify)
        instant("exit", track["w/w_main"])

        # The CPU track: w first (it waits), a, w again after the notify, a.
        runs = [e["name"] for e in sorted((e for e in evs if e.get("cat") == "cpu"),
                                          key=lambda e: e["ts"])]
        self.assertEqual([n for n in runs if n != "idle"][:4],
                         ["w/w_main", "a/a_main", "w/w_main", "a/a_main"], runs)

        # The CPU table: each thread, and shares that add up to the whole.
        shares = {m[1]: float(m[2]) for m in
                  re.finditer(r"^(\S+)\s+[\d.]+\s+([\d.]+)%\s+\d+\s+\d+$", r.out, re.M)}
        self.assertIn("a/a_main", shares, r.out)
        self.assertIn("w/w_main", shares, r.out)
        self.assertAlmostEqual(sum(shares.values()), 100.0, delta=0.5)
        self.assertRegex(r.out, r"a/a_main\s+[\d.]+\s+[\d.]+%\s+\d+\s+7\n")
        return r

    def test_a_known_rpc_sequence_decodes_into_its_slices(self):
        p = self.project()
        self.check_run(p, "qemu-mps2-an385")
        # The same on the ARMv8-M port (Cortex-M33).
        self.check_run(p, "qemu-mps2-an505")
        # Only the trace build has the trace: the firmware's own build does
        # not contain a byte of it.
        self.ok(self.w.cmrx("build", cwd=p, timeout=BUILD))
        nm = shutil.which("arm-none-eabi-nm")
        own = subprocess.run([nm, os.path.join(p, "build/qemu-mps2-an385/debug/demo.elf")],
                             capture_output=True, text=True, check=True).stdout
        traced = subprocess.run([nm, os.path.join(p, "build/qemu-mps2-an385/trace/demo.elf")],
                                capture_output=True, text=True, check=True).stdout
        self.assertIn("cmrx_trace_switch", traced)
        self.assertNotIn("trace", own)

    def test_a_firmware_that_never_ends_is_stopped_with_a_reason(self):
        p = self.project()
        write(os.path.join(p, "src/a.c"), A_FOREVER_C)
        r = self.w.cmrx("trace", "--timeout", "5", cwd=p, timeout=BUILD)
        self.assertEqual(r.code, 124, r)
        self.assertIn("stopped before the kernel put out its trace", r.err)
        self.assertIn("cmrx_shutdown()", r.err)
        self.assertFalse(os.path.exists(os.path.join(p, "build/qemu-mps2-an385/trace/trace.json")))


if __name__ == "__main__":
    unittest.main()
