#!/usr/bin/env bash
# Deadline queue benchmark: boots two bound test firmwares in QEMU with
# -icount and a per-instruction trace restricted to the deadline queue's
# functions (deadline_insert, deadline_remove and the rotations they
# call), and prints a table of instructions per call: how many calls, the
# mean, the median and the most. bound.timers: 16 threads whose periodic
# timers expire together every tick, more than a tick's work cap, so the
# queue always holds due entries and new ones, all of one or two ticks
# (buckets); bound.sleepers: 16 threads sleeping 1 to 16 ticks in a loop,
# up to 16 buckets (the tree). A measurement, not a pass/fail test.
#   scripts/bench-deadline.sh [BOARD]   (default qemu-mps2-an385; the
#   firmware comes from the main build: ./scripts/test.sh or ninja -C build)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/args.sh
at_most 1 "scripts/bench-deadline.sh [BOARD]" "$@"
board="${1:-qemu-mps2-an385}"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for test in timers sleepers; do
elf="build/tests/qemu/$board/t_bound.$test.elf"
[ -f "$elf" ] || { echo "bench-deadline: $elf is missing: build first (ninja -C build)" >&2; exit 1; }
# The functions' ranges, from the symbol table: [start, end).
ranges=$(arm-none-eabi-nm -S "$elf" | awk '$4 ~ /^deadline_(insert|remove|rotate|rebalance|relink)/ {
    printf "%s0x%s+0x%s", sep, $1, $2; sep = "," }')
entries=$(arm-none-eabi-nm "$elf" | awk '$3 == "deadline_insert" || $3 == "deadline_remove" { print $1 ":" $3 }')
read -r -a qemu <<<"$(build/kernel/tools/cmrx-sdk qemu --icount --print "bsp/$board" "$elf")"
timeout 120 "${qemu[@]}" -singlestep -d exec,nochain -dfilter "$ranges" -D "$log" >/dev/null 2>&1 || true
python3 - "$log" "$entries" "$board" "$test" <<'EOF'
import re, sys
log, entries, board, test = sys.argv[1], sys.argv[2].split(), sys.argv[3], sys.argv[4]
start = {int(e.split(':')[0], 16): e.split(':')[1] for e in entries}
counts = {name: [] for name in start.values()}
cur, n, last = None, 0, None
for line in open(log):
    m = re.search(r'\[[0-9a-f]+/([0-9a-f]+)/', line)
    if not m:
        continue
    pc = int(m.group(1), 16)
    if pc == last:  # an instruction replayed after cpu_io_recompile under icount
        continue
    last = pc
    if pc in start:  # a new call: the last one ended (the functions do not nest)
        if cur:
            counts[cur].append(n)
        cur, n = start[pc], 0
    n += 1
if cur:
    counts[cur].append(n)
what = {"timers": "16 periodic timers expire together every tick",
        "sleepers": "16 threads sleep 1 to 16 ticks in a loop"}[test]
print(f"Deadline queue, {board}, bound.{test}: instructions per call while {what}")
print()
print(f"| {'call':<16} | {'calls':>6} | {'mean':>6} | {'median':>6} | {'most':>6} |")
print(f"|{'-'*18}|{'-'*8}|{'-'*8}|{'-'*8}|{'-'*8}|")
for name, v in sorted(counts.items()):
    if not v:
        print(f"| {name:<16} | {0:>6} | {'-':>6} | {'-':>6} | {'-':>6} |")
        continue
    v.sort()
    print(f"| {name:<16} | {len(v):>6} | {sum(v)/len(v):>6.1f} | {v[len(v)//2]:>6} | {v[-1]:>6} |")
EOF
    echo
done
