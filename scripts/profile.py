#!/usr/bin/env python3
"""Count the instructions a firmware executes between calls to a marker
function, per function, from a QEMU single-step trace.

    scripts/profile.py FIRMWARE.elf [--board qemu-mps2-an385] [--marker bench_mark]
                       [--sdk-tool build/kernel/tools/cmrx-sdk]

Each call of the marker closes a section; for every section the script
prints the instructions executed in each function and the total. With
-singlestep every translated block is one instruction, so the trace
(-d exec,int,nochain) has one line per executed instruction. QEMU is started
by the SDK helper (`cmrx-sdk qemu --trace`), with the command line `cmrx run`
uses for the board. Used to check the benchmark's timer-based figures and to
find where the cycles go.
"""
import argparse
import bisect
import os
import re
import subprocess
import sys
import tempfile


def symbols(elf):
    out = subprocess.run(["arm-none-eabi-nm", "-n", "-S", "--defined-only", elf],
                         capture_output=True, text=True, check=True).stdout
    syms = []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[2] in "tTwW":
            syms.append((int(parts[0], 16), int(parts[1], 16), parts[3]))
    syms.sort()
    return syms


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("elf")
    ap.add_argument("--board", default="qemu-mps2-an385", help="a folder of bsp/, or a BSP folder")
    ap.add_argument("--sdk-tool", default="build/kernel/tools/cmrx-sdk")
    ap.add_argument("--marker", default="bench_mark")
    ap.add_argument("--from-irq", action="store_true",
                    help="restart the open section when an interrupt (exception 16 or above) "
                         "is taken: the section then counts from its entry to the marker")
    ap.add_argument("--totals", action="store_true", help="print section totals only")
    args = ap.parse_args()
    syms = symbols(args.elf)
    starts = [s[0] for s in syms]
    marker = next((s[0] for s in syms if s[2] == args.marker), None)
    if marker is None:
        sys.exit(f"profile: no symbol {args.marker} in {args.elf}")
    with tempfile.NamedTemporaryFile(suffix=".log") as log:
        bsp = args.board if os.path.isdir(args.board) else os.path.join("bsp", args.board)
        subprocess.run([args.sdk_tool, "qemu", "--icount", "--console-null", "--trace", log.name,
                        bsp, args.elf], check=False, timeout=600)
        pc_re = re.compile(r"\[[0-9a-f]+/([0-9a-f]+)/")
        irq_re = re.compile(r"taking pending (?:non)?secure exception (\d+)")
        section, counts, total = 0, {}, 0
        replayed = False
        for line in open(log.name, errors="replace"):
            # Under -icount an instruction that touches a device ends its
            # block: QEMU rewinds it ("cpu_io_recompile") and runs it again,
            # so the next trace line is the same instruction a second time.
            if "cpu_io_recompile" in line:
                replayed = True
                continue
            taken = irq_re.search(line) if args.from_irq else None
            if taken and int(taken.group(1)) >= 16:
                counts, total = {}, 0
                continue
            m = pc_re.search(line)
            if not m:
                continue
            if replayed:
                replayed = False
                continue
            pc = int(m.group(1), 16) & ~1
            if pc == marker:
                if section > 0:
                    print(f"section {section}: {total} instructions")
                    for name in [] if args.totals else sorted(counts, key=lambda k: -counts[k]):
                        print(f"  {counts[name]:6d}  {name}")
                section, counts, total = section + 1, {}, 0
                continue
            if section == 0:
                continue
            i = bisect.bisect_right(starts, pc) - 1
            name = syms[i][2] if i >= 0 and pc < syms[i][0] + max(syms[i][1], 2) else f"0x{pc:08x}"
            counts[name] = counts.get(name, 0) + 1
            total += 1


if __name__ == "__main__":
    main()
