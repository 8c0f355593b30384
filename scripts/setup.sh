#!/usr/bin/env bash
# Installs every Debian package CMRX needs. Safe to run again: apt-get
# skips what is already installed, and nothing is installed twice.
set -euo pipefail

PACKAGES=(
    build-essential cmake ninja-build git pkg-config
    gcc-arm-none-eabi libnewlib-arm-none-eabi binutils-arm-none-eabi
    qemu-system-arm
    libcmocka-dev libyaml-dev libcjson-dev libgit2-dev
    python3-pyocd gdb-multiarch
    clang libclang-rt-14-dev
    bash-completion
)

missing=()
for p in "${PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    echo "setup: all ${#PACKAGES[@]} packages already installed"
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null; then
        SUDO="sudo"
    else
        echo "setup: need root (or sudo) to install: ${missing[*]}" >&2
        exit 1
    fi
fi

echo "setup: installing ${missing[*]}"
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
