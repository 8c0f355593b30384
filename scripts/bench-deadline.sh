#!/usr/bin/env bash
# Deadline queue benchmark: builds tests/bench/deadline for an MPS2 board
# and boots each of its firmwares in QEMU with -icount and a
# per-instruction trace restricted to the deadline queue's functions
# (deadline_insert, deadline_remove and the helpers they call, not
# deadline_due, which the tick calls between them), then
# prints instructions per call, by how many threads keep one priority's
# due queue busy (2, 8, 16, 64):
#   sleepers: thread i sleeps i + 1 ticks in a loop, so the queue holds up
#     to that many distinct ticks: the tree's own work;
#   timers: that many periodic timers of one period expire together every
#     tick: one or two ticks' buckets.
# Each cell is the mean / the most over the run's calls (300 ms). A
# measurement, not a pass/fail test.
#   scripts/bench-deadline.sh [BOARD]   (default qemu-mps2-an385)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/args.sh
at_most 1 "scripts/bench-deadline.sh [BOARD]" "$@"
board="${1:-qemu-mps2-an385}"
build="build/bench-deadline-$board"
cmake -S tests/bench/deadline -B "$build" -G Ninja -DCMRX_BOARD="$board" \
    -DCMAKE_TOOLCHAIN_FILE="$PWD/kernel/cmake/toolchain/arm-none-eabi.cmake" >/dev/null
ninja -C "$build" >"$build/build.log" || { cat "$build/build.log"; exit 1; }
sdk="$build/cmrx-host/cmrx-sdk"
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# trace FIRMWARE: "insert_mean insert_most remove_mean remove_most calls"
trace() {
    local elf="$build/$1.elf" ranges entries qemu
    # The functions' ranges, from the symbol table: [start, start + size).
    ranges=$(arm-none-eabi-nm -S "$elf" | awk '$4 ~ /^deadline_/ && $4 !~ /^deadline_due/ {
        printf "%s0x%s+0x%s", sep, $1, $2; sep = "," }')
    entries=$(arm-none-eabi-nm "$elf" | awk '$3 == "deadline_insert" || $3 == "deadline_remove" { print $1 ":" $3 }')
    read -r -a qemu <<<"$("$sdk" qemu --icount --print "bsp/$board" "$elf")"
    timeout 120 "${qemu[@]}" -singlestep -d exec,nochain -dfilter "$ranges" -D "$log" \
        >"$build/$1.out" 2>&1 || true
    if ! grep -q "deadline load: done" "$build/$1.out" || grep -q "BENCH ERROR" "$build/$1.out"; then
        cat "$build/$1.out" >&2
        echo "bench-deadline: $1 did not finish" >&2
        exit 1
    fi
    python3 - "$log" "$entries" <<'EOF'
import re, sys
start = {int(e.split(':')[0], 16): e.split(':')[1] for e in sys.argv[2].split()}
counts = {name: [] for name in start.values()}
cur, n, last = None, 0, None
for line in open(sys.argv[1]):
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
ins, rem = counts["deadline_insert"], counts["deadline_remove"]
cell = lambda v: f"{sum(v) / len(v):.0f} / {max(v)}" if v else "-"
print(f"{cell(ins)}|{cell(rem)}|{len(ins)}")
EOF
}

echo "Deadline queue, $board: instructions per call, mean / most, by threads of one priority"
echo
printf '| %-9s | %8s | %-17s | %-17s | %6s |\n' load threads "deadline_insert" "deadline_remove" calls
printf '|%s|%s|%s|%s|%s|\n' ----------- ---------- ------------------- ------------------- --------
for load in sleepers timers; do
    for n in 2 8 16 64; do
        row=$(trace "dl_${load}_$n") || exit 1 # trace's exit ends only its subshell
        IFS='|' read -r ins rem calls <<<"$row"
        printf '| %-9s | %8s | %-17s | %-17s | %6s |\n' "$load" "$n" "$ins" "$rem" "$calls"
    done
done
