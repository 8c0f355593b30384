#!/usr/bin/env bash
# Kernel size benchmark: builds the kernel for Cortex-M3 (-Os) with 8
# processes and 8 threads and prints what the kernel occupies. Prints a
# table; it is a measurement, not a pass/fail test.
set -euo pipefail
cd "$(dirname "$0")/.."
board="${BOARD:-qemu-mps2-an385}"
build="build/bench-size-$board"
cmake -S tests/bench/size -B "$build" -G Ninja \
    -DCMAKE_TOOLCHAIN_FILE="$PWD/kernel/cmake/toolchain/arm-none-eabi.cmake" \
    -DCMRX_BOARD="$board" >/dev/null
ninja -C "$build" >"$build/build.log" || { cat "$build/build.log"; exit 1; }
elf="$build/size8.elf"
sec() { arm-none-eabi-size -A "$elf" | awk -v s="$1" '$1 == s { print $2 }'; }
sym() { printf '%d' "0x$(arm-none-eabi-nm -S "$elf" | awk -v s="$1" '$4 == s { print $2 }')"; }
ktext=$(sec .cmrx.kernel.text)
kdata=$(sec .data)
kbss=$(sec .bss)
idle=$(sym cmrx_idle_stack)
threads=$(sym cmrx_threads)
shared=0
for f in cmrx_vformat cmrx_vformat_buf cmrx_format; do shared=$((shared + $(sym $f))); done
echo "Kernel size, $board ($(sed -n 's/^set(CMRX_BSP_CPU "\(.*\)")$/\1/p' "$build/cmrx-board/bsp.cmake")), -Os, 8 processes, 8 threads + idle"
echo
printf '| %-44s | %7s |\n' "what" "bytes"
printf '|%s|%s|\n' "----------------------------------------------" "---------"
printf '| %-44s | %7d |\n' "kernel flash (vectors, code, rodata)" "$ktext"
printf '| %-44s | %7d |\n' "  + shared library code it calls (formatter)" "$shared"
printf '| %-44s | %7d |\n' "kernel RAM without stacks (.data + .bss)" "$((kdata + kbss - idle))"
printf '| %-44s | %7d |\n' "  of which thread table (9 TCBs)" "$threads"
printf '| %-44s | %7d |\n' "idle thread stack" "$idle"
printf '| %-44s | %7d |\n' "kernel (main) stack" "$(sec .cmrx.msp)"
echo
arm-none-eabi-size -A "$elf" | awk 'NR <= 2 || /^\.cmrx\.kernel|^\.data|^\.bss|^\.cmrx\.msp/'
