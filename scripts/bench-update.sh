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
# A measurement, not a pass/fail test.
#   scripts/bench-update.sh [BOARD]   BOARD: qemu-mps2-an385 (default), -an386, -an500, -an505
set -euo pipefail
cd "$(dirname "$0")/.."
board="${1:-qemu-mps2-an385}"
build="build/bench-update-$board"
cmake -S tests/bench/update -B "$build" -G Ninja -DCMRX_BOARD="$board" \
    -DCMAKE_TOOLCHAIN_FILE="$PWD/kernel/cmake/toolchain/arm-none-eabi.cmake" >/dev/null
ninja -C "$build" >"$build/build.log" || { cat "$build/build.log"; exit 1; }
echo "board $board"
"$build/cmrx-host/cmrx-sdk" qemu --icount "bsp/$board" "$build/upd_bench.elf" \
    -device "loader,file=$build/upd_bench.v2.svc.img,addr=$(cat "$build/store.txt")" |
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
