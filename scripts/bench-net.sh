#!/usr/bin/env bash
# Network benchmark: the lan9118 driver, the netstack (lwIP) and an echo
# service in three processes, against the same code linked into one
# process (tests/bench/net), booted in QEMU with -icount shift=0 and driven
# from 127.0.0.1 over QEMU's user network. Prints instructions per KiB
# echoed over TCP, per UDP datagram and per connection for both builds,
# their ratio (the cost of isolation) and each process's flash and RAM. A
# measurement, not a pass/fail test.
#   scripts/bench-net.sh [BOARD]    BOARD: qemu-mps2-an385 (default), -an386, -an500, -an505
# lwIP is fetched by cmrx from its upstream URL, through the mirror
# ../shared/mirrors/lwip.git where that exists (CMRX_CONFIG, docs/registry.md).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/args.sh
at_most 1 "scripts/bench-net.sh [BOARD]" "$@"
board="${1:-qemu-mps2-an385}"
build="build/bench-net-$board"
cmake -S . -B build -G Ninja >/dev/null
ninja -C build cmrx cmrx-sdk >/dev/null
lwip=build/bench-net-lwip
if [ ! -f "$lwip/fetched.stamp" ]; then
    mirror="$(cd .. && pwd)/shared/mirrors/lwip.git"
    [ -d "$mirror" ] || { echo "bench-net.sh: no lwIP mirror at $mirror" >&2; exit 1; }
    python3 tests/fetch_package.py --cmrx build/cli/cmrx --package lwip \
        --upstream https://github.com/lwip-tcpip/lwip.git --mirror "$mirror" --project "$lwip" \
        --expect src/core/tcp.c
fi
cmake -S tests/bench/net -B "$build" -G Ninja -DCMRX_BOARD="$board" \
    -DCMAKE_TOOLCHAIN_FILE="$PWD/kernel/cmake/toolchain/arm-none-eabi.cmake" \
    -DLWIP_DIR="$PWD/$lwip/packages/lwip" >/dev/null
ninja -C "$build" >"$build/build.log" || { cat "$build/build.log"; exit 1; }
machine=$(sed -n 's/^set(CMRX_BSP_QEMU_MACHINE "\(.*\)")$/\1/p' "$build/cmrx-board/bsp.cmake")
python3 tests/bench/net/bench_net.py --sdk-tool build/kernel/tools/cmrx-sdk \
    --bsp-dir "bsp/$board" --machine "$machine" --dir "$build"
