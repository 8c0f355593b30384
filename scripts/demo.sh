#!/usr/bin/env bash
# The main job from a fresh Debian machine: install the packages CMRX needs,
# build and install the cmrx tool, then create a project from the `hello`
# template (two MPU-isolated processes talking over RPC), build it with
# `cmrx build` and boot it in QEMU with `cmrx run`.
#
#   BOARD=qemu-mps2-an386 ./scripts/demo.sh   run the same project on another board
#   PREFIX=/usr/local ./scripts/demo.sh       install cmrx elsewhere (default ~/.local)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/args.sh
at_most 0 "BOARD=board PREFIX=dir scripts/demo.sh" "$@"
sdk="$PWD"
prefix="${PREFIX:-$HOME/.local}"
board="${BOARD:-qemu-mps2-an385}"

./scripts/setup.sh
echo "demo: building cmrx"
cmake -S . -B build -G Ninja >/dev/null
ninja -C build cmrx cmrx_completion >/dev/null
cmake --install build --prefix "$prefix" >/dev/null
echo "demo: installed $prefix/bin/cmrx, and its completion for bash and zsh"
echo "demo: (zsh finds it with fpath+=($prefix/share/zsh/site-functions) before compinit)"
user_path="$PATH"
export PATH="$prefix/bin:$PATH"

# Show each step as the user would type it.
step() {
    echo
    echo "\$ $*"
    "$@"
}

# A fresh project every time, in this checkout's build/ folder.
rm -rf build/demo
cd build
step cmrx new demo --board qemu-mps2-an385 --template hello
cd demo
step cmrx build
args=()
if [ "$board" != qemu-mps2-an385 ]; then
    args=(--board "$board") # the same project on another board; cmrx.yaml is left alone
fi
status=0
step cmrx run "${args[@]}" || status=$?

echo
echo "demo: the project is $sdk/build/demo; the firmware exited with $status."
case ":$user_path:" in
*":$prefix/bin:"*) ;;
*) echo "demo: cmrx is not on your PATH yet; add it with:"
   echo "    export PATH=\"$prefix/bin:\$PATH\"" ;;
esac
echo "demo: then try: cd build/demo && cmrx size && cmrx debug --print-only && cmrx boards"
exit "$status"
