#!/usr/bin/env bash
# IPC benchmark: boots tests/bench/ipc in QEMU with -icount shift=0,sleep=off
# (one instruction per virtual nanosecond, idle time skipped exactly, so
# counts are exact and repeatable) and prints a table of instructions per
# operation. A measurement, not a pass/fail test.
#   scripts/bench.sh [--growth] [--trace] [BOARD]
#       BOARD: qemu-mps2-an385 (default), qemu-mps2-an386, qemu-mps2-an500,
#       qemu-mps2-an505. --growth: the same operations with 2, 8 and 16
#       processes (each extra one serves an object and keeps a thread
#       waiting), one column each: what the kernel pays per process.
#       --trace: with the kernel trace on (CMRX_TRACE), what it costs.
set -euo pipefail
cd "$(dirname "$0")/.."
growth=0
trace=OFF
while [ $# -gt 0 ]; do
    case "$1" in
    --growth) growth=1 ;;
    --trace) trace=ON ;;
    *) break ;;
    esac
    shift
done
board="${1:-qemu-mps2-an385}"
build="build/bench-ipc-$board"
if [ "$trace" = ON ]; then
    build="$build-trace"
fi
cmake -S tests/bench/ipc -B "$build" -G Ninja -DCMRX_BOARD="$board" -DCMRX_TRACE="$trace" \
    -DCMAKE_TOOLCHAIN_FILE="$PWD/kernel/cmake/toolchain/arm-none-eabi.cmake" >/dev/null
ninja -C "$build" >"$build/build.log" || { cat "$build/build.log"; exit 1; }
# QEMU as `cmrx run` starts it, with -icount (cmrx-sdk qemu: one command line).
if [ "$growth" = 1 ]; then
    for elf in ipc_bench ipc_bench_p8 ipc_bench_p16; do
        "$build/cmrx-host/cmrx-sdk" qemu --icount "bsp/$board" "$build/$elf.elf" |
            grep '^| [A-Za-z]' | tail -n +2 >"$build/$elf.table"
    done
    echo "| operation ($board) | 2 processes | 8 processes | 16 processes |"
    echo "|---|---|---|---|"
    paste -d'|' "$build/ipc_bench.table" "$build/ipc_bench_p8.table" "$build/ipc_bench_p16.table" |
        awk -F'|' '{ gsub(/ +$|^ +/, "", $2); printf "| %s |%s|%s|%s|\n", $2, $3, $7, $11 }'
    exit 0
fi
"$build/cmrx-host/cmrx-sdk" qemu --icount "bsp/$board" "$build/ipc_bench.elf" | grep -v '^\[cmrx'
# The same operations once each, counted in an instruction trace
# (scripts/profile.py): exact, where the timer reads in steps of 40
# instructions. Section 1 is the marker glue every section carries.
python3 scripts/profile.py "$build/ipc_profile.elf" --board "bsp/$board" \
    --sdk-tool "$build/cmrx-host/cmrx-sdk" --from-irq --totals |
    awk '/^section/ { n[$2 + 0] = $3 }
         END {
             if (!(1 in n) || !(5 in n)) { print "bench: the trace has no sections"; exit 1 }
             printf "\ntrace, one of each (minus the %d instructions of marker glue):\n", n[1]
             printf "  system call %d, RPC round trip %d, notify round trip %d, interrupt to driver thread %d\n",
                 n[2] - n[1], n[3] - n[1], n[4] - n[1], n[5] - n[1]
         }'
