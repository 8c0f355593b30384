#!/usr/bin/env bash
# IPC benchmark: boots tests/bench/ipc in QEMU with -icount shift=0,sleep=off
# (one instruction per virtual nanosecond, idle time skipped exactly, so
# counts are exact and repeatable) and prints a table of instructions per
# operation. A measurement, not a pass/fail test.
#   scripts/bench.sh [BOARD]    BOARD: qemu-mps2-an385 (default), qemu-mps2-an386,
#                               qemu-mps2-an500, qemu-mps2-an505
set -euo pipefail
cd "$(dirname "$0")/.."
board="${1:-qemu-mps2-an385}"
build="build/bench-ipc-$board"
cmake -S tests/bench/ipc -B "$build" -G Ninja -DCMRX_BOARD="$board" \
    -DCMAKE_TOOLCHAIN_FILE="$PWD/kernel/cmake/toolchain/arm-none-eabi.cmake" >/dev/null
ninja -C "$build" >"$build/build.log" || { cat "$build/build.log"; exit 1; }
# QEMU as `cmrx run` starts it, with -icount (cmrx-sdk qemu: one command line).
"$build/cmrx-host/cmrx-sdk" qemu --icount "bsp/$board" "$build/ipc_bench.elf" | grep -v '^\[cmrx\]'
