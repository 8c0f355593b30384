#!/usr/bin/env python3
"""Power cuts under the fs component (docs/storage.md, Power-loss tests).

Boots the power-cut writer (components/fs/tests/fs_powercut.c) in QEMU on
an image file that backs the board's emulated flash, reads its console,
and cuts the power at a random moment while it writes: QEMU is killed
(SIGKILL) and the image, in which QEMU's every store lands at once, is what
flash holds after the cut. The next boot runs on that image: the writer
mounts, checks every record the earlier runs left and says how many it
found; each record it reported synced before any cut must be among them,
and none may be corrupt. A chain of cuts starts from an erased image and
ends when the writer has written its quota; then a new chain begins.

Last, a corrupted image: the file system's first two blocks overwritten
with garbage. The writer must report that mount is refused (no crash, no
format), and the image must be byte for byte as it was.

    powercut.py --sdk-tool CMRX_SDK --bsp BSP_DIR --elf ELF --work DIR
                [--cuts N] [--seed S] [--max-delay SECONDS]
"""
import argparse
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import threading
import time


class Run:
    """One boot of the writer; its console lines as they come."""

    def __init__(self, a, image):
        self.p = subprocess.Popen([a.sdk_tool, "qemu", "--image", image, a.bsp, a.elf],
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  stdin=subprocess.DEVNULL)
        self.lines = []
        self.cond = threading.Condition()
        self.t = threading.Thread(target=self._read, daemon=True)
        self.t.start()

    def _read(self):
        for raw in self.p.stdout:
            line = raw.decode(errors="replace").rstrip("\r\n")
            with self.cond:
                self.lines.append(line)
                self.cond.notify_all()
        with self.cond:
            self.lines.append(None)
            self.cond.notify_all()

    def wait_for(self, pattern, timeout):
        """The first line matching pattern (None at the end of output or timeout)."""
        end = time.monotonic() + timeout
        i = 0
        with self.cond:
            while True:
                while i < len(self.lines):
                    line = self.lines[i]
                    i += 1
                    if line is None:
                        return None
                    if re.search(pattern, line):
                        return line
                left = end - time.monotonic()
                if left <= 0:
                    return None
                self.cond.wait(left)

    def cut(self):
        """Power off: QEMU dies where it is."""
        self.p.send_signal(signal.SIGKILL)
        self.p.wait()
        self.t.join(5)

    def finish(self, timeout):
        try:
            self.p.wait(timeout)
        except subprocess.TimeoutExpired:
            self.cut()
            return None
        self.t.join(5)
        return self.p.returncode

    def text(self):
        return "\n".join(l for l in self.lines if l is not None)


def synced(lines):
    last = -1
    for l in lines:
        m = l and re.match(r"pc: synced (\d+)$", l)
        if m:
            last = int(m.group(1))
    return last


def fail(msg, run=None):
    sys.stderr.write(f"FAILED: {msg}\n")
    if run is not None:
        sys.stderr.write("--- console ---\n" + run.text() + "\n")
    sys.exit(1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sdk-tool", required=True)
    ap.add_argument("--bsp", required=True)
    ap.add_argument("--elf", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--cuts", type=int, default=20)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--max-delay", type=float, default=0.5)
    a = ap.parse_args()
    seed = a.seed if a.seed is not None else random.randrange(1 << 30)
    rnd = random.Random(seed)
    print(f"powercut: {a.cuts} cuts, seed {seed} (--seed {seed} repeats the delays)")
    os.makedirs(a.work, exist_ok=True)
    image = os.path.join(a.work, "storage.img")

    cuts = chains = 0
    reported = -1  # the last record any run reported synced, in this chain
    fresh = True
    while cuts < a.cuts:
        if fresh:
            if os.path.exists(image):
                os.remove(image)  # the next boot starts on erased flash
            chains += 1
            reported = -1
            fresh = False
        run = Run(a, image)
        line = run.wait_for(r"^pc: (verified \d+ records|mount refused.*)$", 30)
        if line is None or "refused" in line:
            run.cut()
            fail(f"cut {cuts}: the writer did not verify the image ({line})", run)
        found = int(re.search(r"\d+", line).group(0))
        if found < reported + 1:
            run.cut()
            fail(f"after cut {cuts}: {found} records on the image, but record {reported} was "
                 "reported synced before the cut", run)
        if run.wait_for(r"^pc: (synced \d+|done)$", 30) is None:
            run.cut()
            fail(f"cut {cuts}: the writer wrote nothing", run)
        if run.wait_for(r"^pc: done$", 0) is not None:
            run.finish(10)
            fresh = True
            continue
        time.sleep(rnd.uniform(0, a.max_delay))
        run.cut()
        out = run.text()
        if "CHECK FAILED" in out or "KERNEL PANIC" in out or "FAULT" in out:
            fail(f"cut {cuts}: the writer failed", run)
        reported = max(reported, synced(run.lines))
        done = "pc: done" in out
        cuts += 1
        print(f"cut {cuts}: chain {chains}, {found} records found at boot, "
              f"{reported + 1} reported synced at the cut")
        if done:
            fresh = True
    # The last image is checked once more: everything synced is there.
    run = Run(a, image)
    line = run.wait_for(r"^pc: verified (\d+) records$", 30)
    run.cut()
    if line is None or int(re.search(r"\d+", line).group(0)) < reported + 1:
        fail(f"the final image lost records ({line}; {reported + 1} were reported synced)", run)

    # A corrupted image is refused, and left as it is.
    good = os.path.join(a.work, "good.img")
    shutil.copyfile(image, good)
    with open(image, "r+b") as f:
        f.write(bytes(rnd.randrange(256) for _ in range(8192)))
    with open(image, "rb") as f:
        before = f.read()
    run = Run(a, image)
    code = run.finish(30)
    if "pc: mount refused: -261" not in run.text() or code != 3:
        fail(f"a corrupted image: expected 'pc: mount refused: -261' and exit code 3, got {code}",
             run)
    with open(image, "rb") as f:
        if f.read() != before:
            fail("the corrupted image was changed by a mount that failed")
    print(f"powercut: PASS: {cuts} cuts in {chains} chain(s), every synced record kept; "
          "a corrupted image refused and left as it was")
    return 0


if __name__ == "__main__":
    sys.exit(main())
