#!/usr/bin/env bash
# Latency bounds: builds the tests (as scripts/test.sh does), runs the
# bound tests (label "bound": a hostile process drives one long kernel
# path while a driver samples its interrupt's latency) and prints, per
# board and path, the worst interrupt -> driver thread in instructions:
# over all samples, with the interrupts swept across a tick's start (and
# where against it the worst fell), and with them at every phase of the
# tick. A measurement; the tests themselves fail past their bound.
#   scripts/bench-bounds.sh [BOARD]   (default: every board with bound tests)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/args.sh
at_most 1 "scripts/bench-bounds.sh [BOARD]" "$@"
cmake -S . -B build -G Ninja >/dev/null
ninja -C build >build/bench-bounds.log || { tail -50 build/bench-bounds.log; exit 1; }
log=$(mktemp)
trap 'rm -f "$log"' EXIT
ctest --test-dir build -L bound -R "qemu\\.${1:-.*}\\.bound\\." -V -j "$(nproc)" >"$log" || true
python3 - "$log" <<'PY'
import re, sys
names, rows = {}, {}
for line in open(sys.argv[1]):
    m = re.match(r"\s*(\d+): Test command: .*", line)
    n = re.match(r"\s*\d+/\d+ Test\s+#(\d+): qemu\.(\S+)\.bound\.(\S+) \.+\s*(\S+)", line)
    if n:
        names[n.group(1)] = (n.group(2), n.group(3), n.group(4))
    w = re.search(r"(\d+): .*bound_drv: \d+ interrupts, worst interrupt to driver thread (\d+) "
                 r"instructions \(bound (\d+)\)", line)
    if w:
        rows.setdefault(w.group(1), {}).update(worst=w.group(2), bound=w.group(3))
    s = re.search(r"(\d+): .*bound_drv: swept (-?\d+) to (-?\d+) instructions from a tick's start, "
                 r"(\d+) apart: worst (\d+), at (-?\d+); every phase: worst (\d+)", line)
    if s:
        rows.setdefault(s.group(1), {}).update(
            swept=f"{s.group(5)} at {s.group(6)} ({s.group(2)}..{s.group(3)}, step {s.group(4)})",
            every=s.group(7))
print("| board | path | worst | bound | swept across a tick's start: worst at (window, step) | every phase | test |")
print("|---|---|---|---|---|---|---|")
for num, (board, path, result) in sorted(names.items(), key=lambda kv: (kv[1][0], int(kv[0]))):
    r = rows.get(num, {})
    print(f"| {board} | {path} | {r.get('worst', '-')} | {r.get('bound', '-')} | "
          f"{r.get('swept', '-')} | {r.get('every', '-')} | {result} |")
PY
