#!/usr/bin/env bash
# Fuzz the parsers of cmrx and cmrx-sdk with libFuzzer (tests/fuzz/): each
# harness runs SECONDS (default 20) from a corpus seeded with the
# repository's real files of its kind. A crash, a sanitizer report or a
# broken promise stops it with the input that did it (saved in the build
# folder) and a non-zero exit status.
#   scripts/fuzz.sh [-b BUILD] [--no-build] [SECONDS] [HARNESS...]
# HARNESS: the NAME of a tests/fuzz/fuzz_NAME.c (default: every one of
# them, as CTest runs them). BUILD defaults to build/fuzz, built with clang here
# unless --no-build (the test suite builds it).
set -euo pipefail
cd "$(dirname "$0")/.."
build=build/fuzz
make=1
while [ $# -gt 0 ]; do
    case "$1" in
    -b) build="$2"; shift 2 ;;
    --no-build) make=0; shift ;;
    *) break ;;
    esac
done
build="$(realpath -m "$build")"
secs="${1:-20}"
[ $# -gt 0 ] && shift
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
    for h in tests/fuzz/fuzz_*.c; do
        h="${h##*/fuzz_}" && names+=("${h%.c}")
    done
fi
if [ "$make" = 1 ]; then
    cmake -S tests/fuzz -B "$build" -G Ninja -DCMAKE_C_COMPILER=clang >/dev/null
    ninja -C "$build" >/dev/null
fi

# The real files of a kind: YAML and JSON of the tree and the fenced blocks
# of the documentation, the firmware descriptions and ELF files of a build.
blocks() { # LANG DIR: each ```LANG block of docs/*.md as a file in DIR
    awk -v lang="$1" -v dir="$2" '
        /^```/ { if (on) { on = 0; close(f) } else if ($0 == "```" lang) { on = 1; f = dir "/b" ++n } next }
        on { print > f }' docs/*.md
}
seed() { # NAME: the seed folder of a harness, filled
    local d="$build/seeds/$1"
    rm -rf "$d" && mkdir -p "$d"
    case "$1" in
    registry) cp registry/index.json "$d/"; blocks json "$d" ;;
    semver)
        # "CONSTRAINT\nVERSION..." from the constraints the docs show.
        grep -o '`[^`]*`' docs/project-files.md | tr -d '`' | grep -E '^[~^<>=*0-9]' |
            awk -v d="$d" '{ f = d "/c" NR; print $0 "\n1.2.3\n0.1.0\n2.0.0-rc.1\n1.0.0+b" > f; close(f) }' ;;
    firmware) (find build -name layout.in -size -8k 2>/dev/null || true) | head -20 |
        awk -v d="$d" '{ system("cp " $0 " " d "/l" NR) }' ;;
    trace) cp tests/fuzz/seeds/trace-*.txt "$d/" ;; # dumps of real runs (cmrx trace)
    fspath) # Two paths each: spellings the fs_kept attack tries.
        printf '/vault/../vault/secret\n//vault//secret' >"$d/p1"
        printf 'd\nd/./../e' >"$d/p2"
        printf '../vault/secret\n/x/./../vault/secret/' >"$d/p3" ;;
    layout) # A process's data, stacks and .shared in a board's RAM, per MPU
        # (fuzz_layout.c's format: arch, RAM base, size, reserve, items).
        for a in 0 1 2; do
            { printf "\\$a" && printf '\x00\x00\x00\x20\x00\x00\x01\x00\x00\x08\x02\x00\xe8\x03%b' \
                '\x00\x00\x02\x00\x04\x00\x00\x03\x01\x40\x00\x00\x00'; } >"$d/l$a"
        done ;;
    elf) # Linked firmware of the QEMU tests, without debug information: small.
        (find build/tests/qemu -name 't_*.elf' 2>/dev/null || true) | head -3 |
            awk -v d="$d" '{ system("arm-none-eabi-objcopy --strip-debug " $0 " " d "/e" NR) }' ;;
    *)
        local n=0
        for f in templates/*/cmrx.yaml templates/*/template.yaml bsp/*/bsp.yaml \
            tests/qemu/boards/*/bsp.yaml; do
            n=$((n + 1)) && cp "$f" "$d/y$n"
        done
        blocks yaml "$d" ;;
    esac
}

status=0
for name in "${names[@]}"; do
    bin="$build/fuzz_$name"
    [ -x "$bin" ] || { echo "fuzz: no harness $bin" >&2; exit 2; }
    seed "$name"
    corpus="$build/corpus/$name"
    mkdir -p "$corpus" "$build/crashes"
    # Runs in the build folder: an input that fails is saved there.
    if (cd "$build/crashes" && "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 "$corpus" "$build/seeds/$name" >"$build/$name.log" 2>&1); then
        echo "fuzz $name: ${secs}s, $(grep -o 'stat::number_of_executed_units: *[0-9]*' \
            "$build/$name.log" | grep -o '[0-9]*$') runs, no failure"
    else
        tail -40 "$build/$name.log" >&2
        echo "fuzz $name: FAILED, input saved in $build/crashes/ (log $build/$name.log)" >&2
        status=1
    fi
done
exit "$status"
