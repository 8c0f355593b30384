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
machine=$(sed -n 's/^set(CMRX_BSP_QEMU_MACHINE "\(.*\)")$/\1/p' "$build/cmrx-board/bsp.cmake")
echo "--- booting $build/demo.elf in QEMU ($machine); Ctrl-C stops it ---"
exec qemu-system-arm -machine "$machine" -display none -monitor none -serial stdio \
    -semihosting-config enable=on,target=native,userspace=on -kernel "$build/demo.elf"
