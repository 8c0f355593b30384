#!/usr/bin/env bash
# Set up this machine, build everything and run every test: host unit tests
# (label "unit") and firmware booted in QEMU on each emulated board
# (label "qemu"). Extra arguments go to ctest, e.g. -L unit.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/setup.sh
cmake -S . -B build -G Ninja >/dev/null
ninja -C build
ctest --test-dir build --output-on-failure -j "$(nproc)" "$@"
