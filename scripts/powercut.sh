#!/usr/bin/env bash
# The long power-cut series of the fs component (docs/storage.md): 100 cuts
# at random moments on each board (default qemu-mps2-an385 and
# qemu-mps2-an505), on the power-cut writer the test build made. The test
# suite runs 20 per board (ctest -R fs_powercut).
#   scripts/powercut.sh [CUTS] [BOARD...]     e.g. scripts/powercut.sh 100 qemu-mps2-an505
# SEED=n repeats a series' delays. Needs a build (./scripts/test.sh, or
# cmake -S . -B build -G Ninja && ninja -C build) and littlefs's mirror.
set -euo pipefail
cd "$(dirname "$0")/.."
cuts=${1:-100}
shift || true
boards=("$@")
[ ${#boards[@]} -gt 0 ] || boards=(qemu-mps2-an385 qemu-mps2-an505)
for board in "${boards[@]}"; do
    elf=build/tests/qemu/$board/t_fs_powercut.elf
    if [ ! -f "$elf" ]; then
        echo "powercut.sh: $elf is not built: run ./scripts/test.sh or ninja -C build" \
            "(the fs tests need ../shared/mirrors/littlefs.git)" >&2
        exit 1
    fi
    echo "== $board"
    python3 tests/fs/powercut.py --sdk-tool build/kernel/tools/cmrx-sdk --bsp "bsp/$board" \
        --elf "$elf" --work "build/powercut/$board" --cuts "$cuts" ${SEED:+--seed "$SEED"}
done
