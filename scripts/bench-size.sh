#!/usr/bin/env bash
# Kernel size benchmark: builds the kernel for Cortex-M3 (-Os) with 8
# processes and 8 threads and prints what the kernel occupies. Prints a
# table; it is a measurement, not a pass/fail test. CMRX_TRACE=ON (or a
# number of events) measures the kernel with its trace on.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/args.sh
at_most 0 "BOARD=board CMRX_TRACE=ON|OFF|N scripts/bench-size.sh" "$@"
board="${BOARD:-qemu-mps2-an385}"
trace="${CMRX_TRACE:-OFF}"
build="build/bench-size-$board"
if [ "$trace" != OFF ]; then
    build="$build-trace-$trace"
fi
cmake -S tests/bench/size -B "$build" -G Ninja \
    -DCMAKE_TOOLCHAIN_FILE="$PWD/kernel/cmake/toolchain/arm-none-eabi.cmake" \
    -DCMRX_BOARD="$board" -DCMRX_TRACE="$trace" >/dev/null
ninja -C "$build" >"$build/build.log" || { cat "$build/build.log"; exit 1; }
elf="$build/size8.elf"
sec() { arm-none-eabi-size -A "$elf" | awk -v s="$1" '$1 == s { print $2 }'; }
# A symbol's size, 0 when the image has no such symbol.
sym() {
    local h
    h=$(arm-none-eabi-nm -S "$elf" | awk -v s="$1" '$4 == s { print $2 }')
    printf '%d' "0x${h:-0}"
}
ktext=$(sec .cmrx.kernel.text)
kdata=$(sec .data)
kbss=$(sec .bss)
idle=$(sym cmrx_idle_stack)
threads=$(sym cmrx_threads)
shared=0
for f in cmrx_vformat cmrx_vformat_buf cmrx_format memcpy memset strlen; do shared=$((shared + $(sym $f))); done
echo "Kernel size, $board ($(sed -n 's/^set(CMRX_BSP_CPU "\(.*\)")$/\1/p' "$build/cmrx-board/bsp.cmake")), -Os, 8 processes, 8 threads + idle, trace $trace"
echo
printf '| %-48s | %7s |\n' "what" "bytes"
printf '|%s|%s|\n' "--------------------------------------------------" "---------"
printf '| %-48s | %7d |\n' "kernel flash (vectors, code, rodata)" "$ktext"
printf '| %-48s | %7d |\n' "  + library code it calls (format, mem*, strlen)" "$shared"
printf '| %-48s | %7d |\n' "kernel RAM without stacks (.data + .bss)" "$((kdata + kbss - idle))"
printf '| %-48s | %7d |\n' "  of which thread table (9 TCBs)" "$threads"
printf '| %-48s | %7d |\n' "idle thread stack" "$idle"
printf '| %-48s | %7d |\n' "kernel (main) stack" "$(sec .cmrx.msp)"
echo
arm-none-eabi-size -A "$elf" | awk 'NR <= 2 || /^\.cmrx\.kernel|^\.data|^\.bss|^\.cmrx\.msp/'
echo
echo "Kernel flash by source file (as linked, from the map):"
python3 - "$build/size8.map" "$(arm-none-eabi-size -A "$elf" | awk '$1 == ".cmrx.kernel.text" { print $3 }')" "$ktext" <<'PY'
import collections, re, sys
text = open(sys.argv[1]).read()
lo, size = int(sys.argv[2]), int(sys.argv[3])
lines = text[text.index("Linker script and memory map"):].split("\n")
sizes, pending = collections.Counter(), None
for line in lines:
    f = line.split()
    # An input section is "NAME ADDR SIZE OBJ", or NAME alone with
    # "ADDR SIZE OBJ" on the next line when the name is long.
    if len(f) == 1 and line.startswith(" ."):
        pending = f[0]
        continue
    if len(f) >= 4 and line.startswith(" .") and f[1].startswith("0x"):
        sec, addr, n, obj = f[0], f[1], f[2], f[3]
    elif len(f) >= 3 and pending and f[0].startswith("0x") and f[1].startswith("0x"):
        sec, addr, n, obj = pending, f[0], f[1], f[2]
    else:
        pending = None
        continue
    pending = None
    if lo <= int(addr, 16) < lo + size and int(n, 16) and not sec.startswith((".debug", ".comment", ".ARM.attributes")):
        sizes[re.sub(r".*\(|\.c?\.obj\)|\.S\.obj\)", "", obj)] += int(n, 16)
for name, n in sizes.most_common():
    print(f"| {name:<48} | {n:7d} |")
print(f"| {'(alignment padding)':<48} | {size - sum(sizes.values()):7d} |")
PY
