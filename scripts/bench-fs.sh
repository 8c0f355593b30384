#!/usr/bin/env bash
# File-system benchmark: instructions per KiB written and read through the
# fs process against littlefs linked into the calling process, the mount
# time of a full device, and the memory of each process. Boots
# tests/bench/fs in QEMU with -icount shift=0,sleep=off (one instruction
# per virtual nanosecond). A measurement, not a pass/fail test.
#   scripts/bench-fs.sh [BOARD] [CHUNK]   BOARD: qemu-mps2-an385 (default), -an386,
#                                         -an500, -an505; CHUNK: bytes per call (512)
# littlefs comes from the registry through the shared mirror, as the tests
# fetch it (build/tests/qemu/littlefs-project: run ./scripts/test.sh or
# `ninja -C build qemu_littlefs` first).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/args.sh
at_most 2 "scripts/bench-fs.sh [BOARD] [CHUNK]" "$@"
board="${1:-qemu-mps2-an385}"
chunk="${2:-512}"
littlefs="$PWD/build/tests/qemu/littlefs-project/packages/littlefs"
[ -f "$littlefs/lfs.c" ] || { echo "bench-fs.sh: no littlefs at $littlefs (ninja -C build qemu_littlefs)" >&2; exit 1; }
build="build/bench-fs-$board"
cmake -S tests/bench/fs -B "$build" -G Ninja -DCMRX_BOARD="$board" -DBENCH_CHUNK="$chunk" \
    -DLITTLEFS_DIR="$littlefs" \
    -DCMAKE_TOOLCHAIN_FILE="$PWD/kernel/cmake/toolchain/arm-none-eabi.cmake" >/dev/null
ninja -C "$build" >"$build/build.log" || { cat "$build/build.log"; exit 1; }
echo "board $board, littlefs $(sed -n "/name: littlefs/,/version:/s/.*version: //p" build/tests/qemu/littlefs-project/cmrx.lock)"
for fw in fs_linked fs_iso; do
    rm -f "$build/$fw.img"
    "$build/cmrx-host/cmrx-sdk" qemu --icount --image "$build/$fw.img" "bsp/$board" "$build/$fw.elf" |
        grep '^bench:'
done
python3 - "$build" <<'PY'
import json, sys
b = sys.argv[1]
print(f"{'firmware':10} {'process':13} {'flash':>7} {'RAM':>6} {'shared':>7}")
for fw in ("fs_linked", "fs_iso"):
    d = json.load(open(f"{b}/{fw}.size.json"))
    for p in d["processes"]:
        print(f"{fw:10} {p['name']:13} {p['flash']:7} {p['data']['used']:6} {p['shared']['used']:7}")
PY
