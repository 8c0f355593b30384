#!/usr/bin/env bash
# The main job: set up this machine, build the demo firmware (two isolated
# processes) for the emulated Cortex-M3 board and boot it in QEMU.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/setup.sh
board="${BOARD:-qemu-mps2-an385}"
build="build/demo-$board"
cmake -S docs/examples/plain-cmake -B "$build" -G Ninja \
    -DCMAKE_TOOLCHAIN_FILE="$PWD/kernel/cmake/toolchain/arm-none-eabi.cmake" \
    -DBOARD="$board" >/dev/null
ninja -C "$build"
bsp_value() { grep "^set(CMRX_BSP_$1 " "$build/cmrx-board/bsp.cmake" | sed 's/^[^ ]* //; s/)$//; s/"//g'; }
machine=$(bsp_value QEMU_MACHINE)
if [ -z "$machine" ]; then
    echo "demo: board $board is not emulated; flash $build/demo.hex to it instead" >&2
    exit 1
fi
# The console may be a later UART than QEMU's first serial port.
serial=()
for ((i = 0; i < $(bsp_value QEMU_SERIAL); i++)); do
    serial+=(-serial null)
done
echo "--- booting $build/demo.elf in QEMU ($machine); Ctrl-C stops it ---"
exec qemu-system-arm -machine "$machine" -display none -monitor none "${serial[@]}" -serial stdio \
    -semihosting-config enable=on,target=native,userspace=on -kernel "$build/demo.elf"
