#!/usr/bin/env bash
# Live-update benchmark (docs/updating.md): what replacing one process
# costs. Boots tests/bench/update in QEMU with -icount shift=0,sleep=off
# (one instruction per virtual nanosecond) and prints, in instructions of
# the firmware's calibrated clock: staging per 256-byte chunk, the commit
# call on a quiet and on a busy system, how long the service is
# unavailable, and the time from the last byte staged to the new
# version's first answer. Then what the reservations cost in memory (the
# updatable service against the same one not updatable, MPU alignment
# included, from the builds' size reports) and what an update costs over
# a 115200-baud UART with the updater's protocol (bytes on the wire, from
# components/updater/include/updater_wire.h; QEMU does not time a UART).
# Then it counts the quiet system's steps in an instruction trace of the
# same firmware (scripts/profile.py, -singlestep: the firmware reads the
# clock in stamp functions, which are the trace's markers) and prints both
# counters side by side; it fails when they differ by more than the
# timer's resolution: one count of the clock (40 instructions on the
# 25 MHz boards, 50 on the an505's 20 MHz), plus what the clock's
# calibration misses over the figure (its loop runs with the kernel's tick
# interrupts in it: the rate it finds is low by about 1.2e-4, which
# grows with the figure).
# A measurement and a consistency check of two counters, not a timed test.
#   scripts/bench-update.sh [--no-trace] [BOARD]
#       BOARD: qemu-mps2-an385 (default), -an386, -an500, -an505
#       --no-trace: the timer's figures only (no cross-check)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/args.sh
usage="scripts/bench-update.sh [--no-trace] [BOARD]"
trace=1
board=""
while [ $# -gt 0 ]; do
    case "$1" in
        --no-trace) trace=0 ;;
        -h|--help) sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        -*) echo "bench-update: unknown option $1" >&2; exit 2 ;;
        *)
            # Options may follow the board too: none is silently dropped.
            [ -z "$board" ] || at_most 0 "$usage" "$1"
            board="$1" ;;
    esac
    shift
done
board="${board:-qemu-mps2-an385}"
build="build/bench-update-$board"
cmake -S tests/bench/update -B "$build" -G Ninja -DCMRX_BOARD="$board" \
    -DCMAKE_TOOLCHAIN_FILE="$PWD/kernel/cmake/toolchain/arm-none-eabi.cmake" >/dev/null
ninja -C "$build" >"$build/build.log" || { cat "$build/build.log"; exit 1; }
echo "board $board"
sdk="$build/cmrx-host/cmrx-sdk"
# Version 2's image, where the firmware finds it (flash it does not use).
load=(-device "loader,file=$build/upd_bench.v2.svc.img,addr=$(cat "$build/store.txt")")
"$sdk" qemu --icount "bsp/$board" "$build/upd_bench.elf" "${load[@]}" |
    tr -d '\r' | grep -E '^(\||bench)' | tee "$build/bench.out"
grep -q '^bench: done' "$build/bench.out" || { echo "bench-update: the firmware did not finish" >&2; exit 1; }
python3 - "$build" components/updater/include/updater_wire.h <<'PY'
import json, re, sys
b, wire = sys.argv[1], open(sys.argv[2]).read()
def size(fw, name):
    return next(p for p in json.load(open(f"{b}/{fw}.size.json"))["processes"] if p["name"] == name)
u, p = size("upd_bench", "svc"), size("upd_plain", "svc_plain")
ram = lambda q: q["data"]["footprint"] + q.get("shared", {}).get("footprint", 0)
print(f"\n| memory of the service | flash | RAM |\n|---|---|---|")
print(f"| not updatable | {p['flash']} | {ram(p)} |")
print(f"| updatable: image {u['image']['used']} B, 2 slots of {u['image']['slot_size']} B, "
      f"RAM reserve {u['data']['reserve']} B | {u['flash']} | {ram(u)} |")
print(f"| what the reservations cost | {u['flash'] - p['flash']} | {ram(u) - ram(p)} |")
num = lambda n: int(re.search(rf"#define {n}\s+(\d+)u", wire).group(1))
head, tail, chunk = num("UPW_HEAD"), num("UPW_TAIL"), num("UPW_CHUNK")
frame = head + tail
image = u["image"]["used"]
chunks = -(-image // chunk)
# HELLO "svc" and its reply (status and struct upw_info); per chunk a WRITE
# (offset and data) and its reply (status, offset); COMMIT and its reply.
hello = frame + 3 + frame + num("UPW_INFO_SIZE")
writes = chunks * (frame + 4) + image + chunks * (frame + 8)
commit = frame + 4 + frame + 4
total = hello + writes + commit
print(f"\n| over a 115200-baud UART (8N1: 11520 bytes/s) | |\n|---|---|")
print(f"| bytes on the wire for the {image}-byte image ({chunks} chunks) | {total} |")
print(f"| time on the wire | {total / 11520 * 1000:.0f} ms |")
PY
[ "$trace" = 1 ] || exit 0

# The same firmware traced up to the new version's first answer on the
# quiet system (the busy steps are 362 million instructions: not traced).
python3 scripts/profile.py "$build/upd_bench.elf" --board "bsp/$board" --sdk-tool "$sdk" \
    --totals --names --until stamp_new --timeout 300 \
    --marker stamp_stage_begin,stamp_stage_end,stamp_commit_begin,stamp_commit_end,stamp_old,stamp_new \
    -- "${load[@]}" >"$build/bench.trace"
python3 - "$build/bench.out" "$build/bench.trace" "$(cat "$build/clock.txt")" <<'PY'
import math, re, sys
out, trace, hz = open(sys.argv[1]).read(), open(sys.argv[2]).read(), int(sys.argv[3])
timer = {m.group(1): int(m.group(2)) for m in re.finditer(r"^\| (.+?) +\| +(\d+) \|$", out, re.M)}
rate = int(re.search(r"^bench: clock (\d+)/1024", out, re.M).group(1)) / 1024
# (instructions, opening marker, closing marker) of each section. A
# section does not count its opening marker's instruction: from one
# stamp's first instruction to the next is the section + 1, which is what
# the clock sees between their reads (each stamp reads it at the same
# place).
secs = [(int(n), a, b) for n, a, b in
        re.findall(r"^section \d+: (\d+) instructions \((\w+) to (\w+)\)$", trace, re.M)]
def first(a, b, nth=1):
    hits = [n + 1 for n, x, y in secs if (a is None or x == a) and y == b]
    return hits[nth - 1]
start = next(i for i, s in enumerate(secs) if s[1] == "stamp_commit_begin")
end = next(i for i, s in enumerate(secs) if s[2] == "stamp_new")
rows = [
    ("staging one 256-byte chunk (the second)", first("stamp_stage_begin", "stamp_stage_end", 2)),
    ("commit call, quiet system", first("stamp_commit_begin", "stamp_commit_end")),
    ("unavailable (last old to first new), quiet", first(None, "stamp_new")),
    ("last byte staged to first new answer, quiet", sum(n + 1 for n, _, _ in secs[start:end + 1])),
]
# Under -icount shift=0 one instruction is one virtual nanosecond: a count
# of the clock is exactly 1e9 / hz instructions. The firmware's figure is
# its counts times its calibrated rate: off by less than one count (two
# reads in whole counts), plus the rate's error times the figure.
nominal = 1e9 / hz
error = abs(rate - nominal) / nominal
print(f"\ntrace (scripts/profile.py, from stamp to stamp); the clock: {rate:.3f} instructions "
      f"per count by its calibration, {nominal:g} in fact (-icount shift=0, {hz / 1e6:g} MHz)\n")
print("| quiet system | timer | trace | difference | tolerance |\n|---|---|---|---|---|")
bad = False
for label, traced in rows:
    t = timer[label]
    tol = math.ceil(nominal) + math.ceil(t * error)
    off = abs(t - traced) > tol
    bad |= off
    print(f"| {label} | {t} | {traced} | {t - traced} | {tol}{' (DISAGREE)' if off else ''} |")
if bad:
    sys.exit("\nbench-update: the timer and the trace disagree (by more than the tolerance)")
print("\nbench-update: the timer and the trace agree (within the tolerance: one count of the "
      "clock and its calibration's error)")
PY
