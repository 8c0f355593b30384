#!/usr/bin/env python3
"""Count the instructions a firmware executes between calls to a marker
function, per function, from a QEMU single-step trace.

    scripts/profile.py FIRMWARE.elf [--board qemu-mps2-an385] [--marker bench_mark]
                       [--sdk-tool build/kernel/tools/cmrx-sdk] [--from-irq] [--totals]
                       [--sections N] [--until MARKER] [--names] [--timeout SECONDS]
                       [-- QEMU_ARG...]

Each call of the marker closes a section; for every section the script
prints the instructions executed in each function and the total. With
-singlestep every translated block is one instruction, so the trace
(-d exec,int,nochain) has one line per executed instruction. QEMU is started
by the SDK helper (`cmrx-sdk qemu --trace`), with the command line `cmrx run`
uses for the board; the trace streams through a pipe, and --sections N
stops QEMU once section N is closed (--until MARKER: at the first call of
that marker). With several markers, --names prints which marker opened
and which closed each section. Arguments after -- go to QEMU (e.g. a
-device loader of a second image). An instruction QEMU replays under
-icount (a device access: its line follows a cpu_io_recompile line) is
counted once, and one whose line QEMU prints but which does not run (a
"Stopped execution of TB chain" line follows: the -icount budget ran out,
every 65,536 instructions, or an interrupt came first) not at all. Used
to check the benchmarks' timer-based figures and to find where the
cycles go.
"""
import argparse
import bisect
import os
import re
import subprocess
import sys
import threading


def symbols(elf):
    out = subprocess.run(["arm-none-eabi-nm", "-n", "-S", "--defined-only", elf],
                         capture_output=True, text=True, check=True).stdout
    syms = []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[2] in "tTwW":
            syms.append((int(parts[0], 16), int(parts[1], 16), parts[3]))
        elif len(parts) == 3 and parts[1] in "tTwW":  # a label: no size
            syms.append((int(parts[0], 16), 0, parts[2]))
    syms.sort()
    return syms


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("elf")
    ap.add_argument("--board", default="qemu-mps2-an385", help="a folder of bsp/, or a BSP folder")
    ap.add_argument("--sdk-tool", default="build/kernel/tools/cmrx-sdk")
    ap.add_argument("--marker", default="bench_mark",
                    help="the function (or label) whose first instruction closes a section; "
                         "several, comma-separated: any of them")
    ap.add_argument("--from-irq", action="store_true",
                    help="restart the open section when an interrupt (exception 16 or above) "
                         "is taken: the section then counts from its entry to the marker")
    ap.add_argument("--totals", action="store_true", help="print section totals only")
    ap.add_argument("--sections", type=int, default=0,
                    help="stop QEMU once section N is closed (the firmware may go on to other work); "
                         "fail if the trace ends before")
    ap.add_argument("--until", metavar="MARKER",
                    help="stop QEMU at the first call of this marker (one of --marker), which "
                         "closes the last section; fail if the trace ends before")
    ap.add_argument("--names", action="store_true",
                    help="name each section's markers: 'section N: T instructions (A to B)'")
    ap.add_argument("--timeout", type=float, default=600, help="seconds before QEMU is stopped")
    # After --: more arguments for QEMU, as `cmrx-sdk qemu` takes them.
    argv = sys.argv[1:]
    cut = argv.index("--") if "--" in argv else len(argv)
    args = ap.parse_args(argv[:cut])
    args.qemu_args = argv[cut + 1:]
    labels = symbols(args.elf)
    # Functions name the instructions; a label without a size (a marker
    # inside a function) only marks.
    syms = [s for s in labels if s[1] > 0]
    starts = [s[0] for s in syms]
    markers = {}  # address -> name
    for name in args.marker.split(","):
        addr = next((s[0] for s in labels if s[2] == name), None)
        if addr is None:
            sys.exit(f"profile: no symbol {name} in {args.elf}")
        markers[addr] = name
    if args.until is not None and args.until not in markers.values():
        sys.exit(f"profile: --until {args.until} is not one of the markers")
    bsp = args.board if os.path.isdir(args.board) else os.path.join("bsp", args.board)
    # The trace streams through a pipe (QEMU writes it to its stderr, with
    # its own messages, which are passed on; the console goes nowhere): no
    # log file, and with --sections QEMU is stopped as soon as the last
    # section wanted is closed.
    qemu = subprocess.Popen([args.sdk_tool, "qemu", "--icount", "--console-null",
                             "--trace", "/dev/stderr", bsp, args.elf, *args.qemu_args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            errors="replace")
    timer = threading.Timer(args.timeout, qemu.kill)
    timer.start()
    pc_re = re.compile(r"\[[0-9a-f]+/([0-9a-f]+)/")
    irq_re = re.compile(r"taking pending (?:non)?secure exception (\d+)")
    section, counts, total = 0, {}, 0
    opened = None  # the marker that opened the section
    reached = False

    def ran(pc):
        """Count an instruction that ran (a marker closes the section); True: stop."""
        nonlocal section, counts, total, opened, reached
        if pc in markers:
            if section > 0:
                names = f" ({opened} to {markers[pc]})" if args.names else ""
                print(f"section {section}: {total} instructions{names}", flush=True)
                for name in [] if args.totals else sorted(counts, key=lambda k: -counts[k]):
                    print(f"  {counts[name]:6d}  {name}")
            if args.sections and section == args.sections or markers[pc] == args.until:
                reached = True
                return True
            section, counts, total = section + 1, {}, 0
            opened = markers[pc]
        elif section > 0:
            i = bisect.bisect_right(starts, pc) - 1
            name = syms[i][2] if i >= 0 and pc < syms[i][0] + max(syms[i][1], 2) else f"0x{pc:08x}"
            counts[name] = counts.get(name, 0) + 1
            total += 1
        return False

    # A trace line is printed before its instruction runs, so it is counted
    # when the next line shows that it did run; two lines say it did not:
    #  - under -icount an instruction that touches a device ends its block:
    #    QEMU rewinds it ("cpu_io_recompile") and runs it again, with a line
    #    of its own;
    #  - "Stopped execution of TB chain before": the block did not start
    #    (the -icount budget ran out, every 65,536 instructions, or an
    #    interrupt is taken first); it runs later, with a line of its own.
    pending = None  # the pc of the last line, not counted yet
    try:
        for line in qemu.stderr:
            m = pc_re.search(line)
            if m:
                if pending is not None and ran(pending):
                    pending = None
                    break
                pending = int(m.group(1), 16) & ~1
                continue
            if "cpu_io_recompile" in line or "Stopped execution of TB chain" in line:
                pending = None
                continue
            taken = irq_re.search(line) if args.from_irq else None
            if taken and int(taken.group(1)) >= 16:
                if pending is not None and ran(pending):
                    break
                pending = None
                counts, total = {}, 0
                continue
            if line.startswith(("qemu-system", "cmrx-sdk")):
                sys.stderr.write(line)
    finally:
        timer.cancel()
        if qemu.poll() is None:
            qemu.kill()
        qemu.wait()
    if args.until is not None and not reached:
        sys.exit(f"profile: the trace ended before {args.until}, after {max(section - 1, 0)} sections")
    if args.sections and section < args.sections:
        sys.exit(f"profile: the trace ended after {max(section - 1, 0)} of {args.sections} sections")

if __name__ == "__main__":
    main()
