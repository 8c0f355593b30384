#!/usr/bin/env bash
# IPC benchmark: boots tests/bench/ipc on mps2-an385 in QEMU with
# -icount shift=0,sleep=off (one instruction per virtual nanosecond, idle
# time skipped exactly, so counts are exact and repeatable) and prints a
# table of instructions per operation.
# A measurement, not a pass/fail test.
set -euo pipefail
cd "$(dirname "$0")/.."
build="build/bench-ipc"
cmake -S tests/bench/ipc -B "$build" -G Ninja \
    -DCMAKE_TOOLCHAIN_FILE="$PWD/kernel/cmake/toolchain/arm-none-eabi.cmake" >/dev/null
ninja -C "$build" >"$build/build.log" || { cat "$build/build.log"; exit 1; }
qemu-system-arm -machine mps2-an385 -display none -monitor none -serial stdio \
    -semihosting-config enable=on,target=native,userspace=on -icount shift=0,sleep=off \
    -kernel "$build/ipc_bench.elf" | grep -v '^\[cmrx\]'
