#!/usr/bin/env bash
# IPC benchmark: boots tests/bench/ipc in QEMU with -icount shift=0,sleep=off
# (one instruction per virtual nanosecond, idle time skipped exactly, so
# counts are exact and repeatable) and prints a table of instructions per
# operation, by the firmware's calibrated timer. Then it counts the same
# firmware's traced operations in an instruction trace (scripts/profile.py)
# and prints both counters side by side; it fails when they differ by more
# than 2 instructions.
# A measurement and a consistency check of two counters, not a timed test.
#   scripts/bench.sh [--growth] [--trace] [--no-build] [--build-dir DIR] [BOARD]
#       BOARD: qemu-mps2-an385 (default), qemu-mps2-an386, qemu-mps2-an500,
#       qemu-mps2-an505. --growth: the same operations with 2, 8 and 16
#       processes (each extra one serves an object and keeps a thread
#       waiting), then with 2, 8 and 16 threads (the extra ones wait on
#       words of their own), one column each. --trace: with the kernel
#       trace on (CMRX_TRACE), what it costs (build/bench-ipc-BOARD-trace).
#       --no-build: use the firmware already built in the build folder
#       (build/bench-ipc-BOARD, or DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/args.sh
usage="scripts/bench.sh [--growth] [--trace] [--no-build] [--build-dir DIR] [BOARD]"
growth=0
build_it=1
build=""
trace=OFF
board=""
while [ $# -gt 0 ]; do
    case "$1" in
        --growth) growth=1 ;;
        --no-build) build_it=0 ;;
        --trace) trace=ON ;;
        --build-dir) build="$2"; shift ;;
        -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        -*) echo "bench: unknown option $1" >&2; exit 2 ;;
        *)
            # Options may follow the board too: none is silently dropped.
            [ -z "$board" ] || at_most 0 "$usage" "$1"
            board="$1" ;;
    esac
    shift
done
board="${board:-qemu-mps2-an385}"
if [ "$trace" = ON ]; then
    build="${build:-build/bench-ipc-$board-trace}"
fi
build="${build:-build/bench-ipc-$board}"
if [ "$build_it" = 1 ]; then
    cmake -S tests/bench/ipc -B "$build" -G Ninja -DCMRX_BOARD="$board" -DCMRX_TRACE="$trace" \
        -DCMAKE_TOOLCHAIN_FILE="$PWD/kernel/cmake/toolchain/arm-none-eabi.cmake" >/dev/null
    ninja -C "$build" >"$build/build.log" || { cat "$build/build.log"; exit 1; }
fi
sdk="$build/cmrx-host/cmrx-sdk"

# One firmware, both counters: QEMU as `cmrx run` starts it, with -icount
# (cmrx-sdk qemu: one command line), for the timer's table; then the same
# ELF traced up to its section 216 (its traced part runs first).
# Writes ELF.table (the timer's rows) and ELF.trace (profile.py's totals).
measure() {
    local elf="$build/$1.elf"
    "$sdk" qemu --icount "bsp/$board" "$elf" | tr -d '\r' >"$build/$1.out"
    if ! grep -q '^| interrupt' "$build/$1.out" || grep -q 'BENCH ERROR' "$build/$1.out"; then
        cat "$build/$1.out" >&2
        echo "bench: $1 did not finish its table" >&2
        exit 1
    fi
    grep '^| [A-Za-z]' "$build/$1.out" | tail -n +2 >"$build/$1.table"
    python3 scripts/profile.py "$elf" --board "bsp/$board" --sdk-tool "$sdk" --from-irq --totals \
        --marker bench_mark,bench_read --sections 216 --timeout 120 >"$build/$1.trace"
}

# The trace's figure of each timer row (empty where the trace has none).
# The firmware's sections (tests/bench/ipc/bench.c, main_thread): 1 from
# the interrupt's entry to the driver thread's read of the timer (its
# sample 0), 2-200 its other samples, 201 up to the traced part, 202 the
# glue around an empty operation, then system call, RPC, alternating RPC
# (2 calls), RPC missing the object cache (3 calls), notify, alternating
# notify (2 calls), each less section 202; 209 up to the yielding threads,
# 210-216 one switch each, from marker to marker (a section does not count
# the marker's own instruction, which each switch runs: + 1).
trace_rows() {
    awk '/^section/ { n[$2 + 0] = $3 }
         END {
             e = n[202]
             print n[203] - e; print n[204] - e; print int((n[205] - e) / 2 + 0.5)
             print int((n[206] - e) / 3 + 0.5)
             print n[216] + 1; print n[207] - e; print int((n[208] - e) / 2 + 0.5)
             print n[1]
         }' "$build/$1.trace"
}

if [ "$growth" = 1 ]; then
    for elf in ipc_bench ipc_bench_p8 ipc_bench_p16 ipc_bench_t8 ipc_bench_t16; do
        measure "$elf"
        trace_rows "$elf" | paste -d'|' "$build/$elf.table" - |
            awk -F'|' '{ gsub(/ +/, "", $3); d = $3 - $5; if (d < 0) d = -d
                         printf "%s%s\n", ($5 == "" ? $3 : $3 " / " $5), ($5 != "" && d > 2 ? " (DISAGREE)" : "") }' \
                >"$build/$elf.cells"
    done
    labels() { awk -F'|' '{ gsub(/ +$|^ +/, "", $2); print $2 }' "$build/ipc_bench.table"; }
    for what in processes threads; do
        [ "$what" = processes ] && set -- ipc_bench ipc_bench_p8 ipc_bench_p16 ||
            set -- ipc_bench ipc_bench_t8 ipc_bench_t16
        echo
        echo "| operation ($board), timer / trace | 2 $what | 8 $what | 16 $what |"
        echo "|---|---|---|---|"
        labels | paste -d'|' - "$build/$1.cells" "$build/$2.cells" "$build/$3.cells" |
            awk -F'|' '{ printf "| %s | %s | %s | %s |\n", $1, $2, $3, $4 }'
    done
    if cat "$build"/ipc_bench*.cells | grep -q DISAGREE; then
        echo; echo "bench: the timer and the trace disagree (by more than 2)"; exit 1
    fi
    exit 0
fi

measure ipc_bench
grep -v '^\[cmrx\]' "$build/ipc_bench.out"
echo
echo "trace (scripts/profile.py, one of each, less the $(awk '$2 == "202:" { print $3 }' \
    "$build/ipc_bench.trace") instructions of the same section around an empty operation):"
echo
echo "| operation | timer | trace | difference |"
echo "|---|---|---|---|"
# Agreement: within 2 instructions, the interrupt case too (its samples
# read the timer at 200 delays, which undoes the timer's 40-instruction
# steps: see irq_case in tests/bench/ipc/bench.c).
trace_rows ipc_bench | paste -d'|' "$build/ipc_bench.table" - |
    awk -F'|' '
        $5 == "" { next }
        {
            label = $2; gsub(/ +$|^ +/, "", label); t = $3 + 0; r = $5 + 0
            d = t - r; if (d < 0) d = -d
            limit = 2
            printf "| %s | %d | %d | %d%s |\n", label, t, r, t - r, (d > limit ? " (DISAGREE)" : "")
            if (d > limit) bad = 1
        }
        END {
            if (bad) { print "\nbench: the timer and the trace disagree (by more than 2)"; exit 1 }
            print "\nbench: the timer and the trace agree (within 2)"
        }'
